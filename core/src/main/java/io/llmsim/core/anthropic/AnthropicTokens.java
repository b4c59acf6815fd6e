package io.llmsim.core.anthropic;

import io.llmsim.core.model.ChatRequest;
import io.llmsim.core.model.Message;
import io.llmsim.core.model.Tool;
import io.llmsim.core.model.ToolChoice;
import io.llmsim.core.tokens.Tokenizer;

/**
 * Input tokens as Anthropic reports them, estimated: Claude's tokenizer is not public, so text is
 * counted with o200k_base, plus the framing Anthropic adds around turns and the system prompt it
 * adds when tools are offered. {@code count_tokens} and the usage of an answer use this one count,
 * so they always agree.
 */
public final class AnthropicTokens {
  /** Framing of the conversation as a whole. */
  static final int BASE = 4;
  /** Framing of each turn and of the system prompt. */
  static final int PER_MESSAGE = 3;
  /** Framing of each tool definition, beside its name, description and schema. */
  static final int PER_TOOL = 10;
  /**
   * The system prompt Anthropic adds when tools are offered: Claude 4 models are documented at 346
   * tokens for auto and none, 313 when tool_choice forces a tool.
   */
  static final int TOOLS_AUTO = 346;
  static final int TOOLS_FORCED = 313;

  private AnthropicTokens() {}

  public static int input(AnthropicParser.Parsed parsed, Tokenizer tokenizer) {
    ChatRequest request = parsed.chat();
    int tokens = BASE + parsed.mediaTokens();
    for (Message message : request.messages()) {
      tokens += PER_MESSAGE + tokenizer.count(message.text());
    }
    if (!request.tools().isEmpty()) {
      ToolChoice.Kind kind = request.toolChoice().kind();
      tokens += kind == ToolChoice.Kind.REQUIRED || kind == ToolChoice.Kind.NAMED
          ? TOOLS_FORCED : TOOLS_AUTO;
      for (Tool tool : request.tools()) {
        tokens += PER_TOOL + tokenizer.count(tool.name()) + tokenizer.count(tool.description())
            + tokenizer.count(tool.parameters().toString());
      }
    }
    return tokens;
  }
}
