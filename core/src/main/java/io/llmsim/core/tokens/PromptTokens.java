package io.llmsim.core.tokens;

import io.llmsim.core.model.ChatRequest;
import io.llmsim.core.model.Message;
import io.llmsim.core.model.Tool;

/** Prompt token counts as each provider reports them in usage. */
public final class PromptTokens {
  private PromptTokens() {}

  /**
   * OpenAI chat: every message costs 3 tokens of framing plus its role and content (and 1 more when
   * it has a name), and the reply is primed with 3 more. Tool definitions are counted from their
   * name, description and schema text, an approximation of OpenAI's undocumented rendering.
   */
  public static int openAiChat(ChatRequest request, Tokenizer tokenizer) {
    int tokens = 3;
    for (Message message : request.messages()) {
      tokens += 3 + tokenizer.count(message.role()) + tokenizer.count(message.text());
      if (message.name() != null) {
        tokens += 1 + tokenizer.count(message.name());
      }
    }
    for (Tool tool : request.tools()) {
      tokens += 8 + tokenizer.count(tool.name()) + tokenizer.count(tool.description());
      if (tool.parameters() != null) {
        tokens += tokenizer.count(tool.parameters().toString());
      }
    }
    return tokens;
  }
}
