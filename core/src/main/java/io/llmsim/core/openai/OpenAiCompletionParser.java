package io.llmsim.core.openai;

import static io.llmsim.core.openai.OpenAiFields.missing;
import static io.llmsim.core.openai.OpenAiFields.wrongType;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.tokens.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses and validates a legacy {@code POST /v1/completions} body (WIRE-FORMATS §4.1). The prompt
 * may be a string, an array of strings, an array of token ids, or an array of such arrays.
 * {@code best_of}, {@code logprobs}, {@code suffix}, {@code stop} and the penalties are checked and
 * otherwise ignored ({@code logprobs} are answered as null).
 */
public final class OpenAiCompletionParser {
  /** OpenAI's default for legacy completions: short, so most answers end by length. */
  static final int DEFAULT_MAX_TOKENS = 16;

  private static final String PROMPT_TYPES =
      "a string, an array of strings, an array of integers, or an array of arrays of integers";

  private OpenAiCompletionParser() {}

  public static CompletionRequest parse(JsonNode body) {
    OpenAiFields.object(body);
    String model = OpenAiFields.model(body);
    List<CompletionRequest.Prompt> prompts = prompts(body.get("prompt"), model);

    Integer maxTokens = OpenAiFields.optionalInt(body, "max_tokens", 0, Integer.MAX_VALUE);
    Integer n = OpenAiFields.optionalInt(body, "n", 1, 128);
    Integer bestOf = OpenAiFields.optionalInt(body, "best_of", 1, 20);
    if (bestOf != null && n != null && bestOf < n) {
      throw ApiException.invalid(
          "Invalid 'best_of': best_of must be greater than or equal to n.", "best_of",
          "invalid_value");
    }
    OpenAiFields.optionalInt(body, "logprobs", 0, 5);
    OpenAiFields.optionalString(body, "suffix", "");
    OpenAiFields.optionalStop(body);
    OpenAiFields.optionalLogitBias(body);
    OpenAiFields.optionalNumber(body, "temperature", 0, 2);
    OpenAiFields.optionalNumber(body, "top_p", 0, 1);
    OpenAiFields.optionalNumber(body, "presence_penalty", -2, 2);
    OpenAiFields.optionalNumber(body, "frequency_penalty", -2, 2);
    boolean echo = OpenAiFields.optionalBoolean(body, "echo", false, "");
    boolean stream = OpenAiFields.optionalBoolean(body, "stream", false, "");
    JsonNode streamOptions = OpenAiFields.streamOptions(body, stream);
    boolean includeUsage =
        streamOptions != null
            && OpenAiFields.optionalBoolean(
                streamOptions, "include_usage", false, "stream_options.");
    return new CompletionRequest(
        model, prompts, maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens, n == null ? 1 : n,
        echo, stream, includeUsage, OpenAiFields.optionalSeed(body));
  }

  private static List<CompletionRequest.Prompt> prompts(JsonNode node, String model) {
    if (node == null || node.isNull()) {
      throw missing("prompt");
    }
    Tokenizer tokenizer = Tokenizer.forModel(model);
    if (node.isTextual()) {
      return List.of(text(node.asText(), tokenizer));
    }
    if (!node.isArray()) {
      throw wrongType("prompt", PROMPT_TYPES, node);
    }
    if (node.isEmpty()) {
      throw ApiException.invalid(
          "Invalid 'prompt': empty array. Expected an array with minimum length 1, but got an"
              + " empty array instead.",
          "prompt", "empty_array");
    }
    List<CompletionRequest.Prompt> prompts = new ArrayList<>(node.size());
    JsonNode first = node.get(0);
    if (first.isIntegralNumber()) {
      checkTokens(node, "prompt");
      return List.of(new CompletionRequest.Prompt("", node.size(), true));
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (first.isTextual() && item.isTextual()) {
        prompts.add(text(item.asText(), tokenizer));
      } else if (first.isArray() && item.isArray()) {
        checkTokens(item, "prompt[" + i + "]");
        prompts.add(new CompletionRequest.Prompt("", item.size(), true));
      } else {
        throw wrongType("prompt", PROMPT_TYPES, node);
      }
    }
    return prompts;
  }

  private static CompletionRequest.Prompt text(String text, Tokenizer tokenizer) {
    return new CompletionRequest.Prompt(text, tokenizer.count(text), false);
  }

  private static void checkTokens(JsonNode tokens, String where) {
    for (int i = 0; i < tokens.size(); i++) {
      JsonNode token = tokens.get(i);
      if (!token.isIntegralNumber() || !token.canConvertToInt() || token.intValue() < 0) {
        throw ApiException.invalid(
            "Invalid '" + where + "': expected an array of token ids (non-negative integers),"
                + " but item " + i + " is " + OpenAiFields.describe(token) + ".",
            "prompt", "invalid_type");
      }
    }
  }
}
