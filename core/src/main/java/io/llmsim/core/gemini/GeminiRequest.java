package io.llmsim.core.gemini;

import io.llmsim.core.model.ChatRequest;
import io.llmsim.core.model.Message;
import io.llmsim.core.model.Tool;
import io.llmsim.core.tokens.Tokenizer;
import java.util.List;

/**
 * A parsed {@code GenerateContentRequest}: the neutral request synthesis answers, plus what the
 * neutral form has no room for.
 *
 * @param chat the request to synthesize; its tools are only those the model may call (the
 *     {@code allowedFunctionNames} of mode {@code ANY}), so synthesis never picks another
 * @param declaredTools every declared function, which all count towards the prompt
 * @param mediaParts {@code inlineData} and {@code fileData} parts, counted as images
 * @param enumOutput {@code responseMimeType: text/x.enum}: the answer is one enum value, bare
 */
public record GeminiRequest(
    ChatRequest chat, List<Tool> declaredTools, int mediaParts, boolean enumOutput) {
  /** Tokens Gemini counts for one image or other media part (a 384 px tile). */
  static final int MEDIA_PART_TOKENS = 258;

  public GeminiRequest {
    declaredTools = List.copyOf(declaredTools);
  }

  /**
   * The prompt size: the tokens of every text, function call and function response, of the tool
   * declarations, and a fixed cost per media part. Gemini adds no per-turn framing to its counts.
   * The tokenizer is an approximation of Gemini's SentencePiece vocabulary.
   */
  public int promptTokens(Tokenizer tokenizer) {
    int tokens = mediaParts * MEDIA_PART_TOKENS;
    for (Message message : chat.messages()) {
      tokens += tokenizer.count(message.text());
    }
    for (Tool tool : declaredTools) {
      tokens += tokenizer.count(tool.name()) + tokenizer.count(tool.description());
      if (tool.parameters() != null) {
        tokens += tokenizer.count(tool.parameters().toString());
      }
    }
    return tokens;
  }
}
