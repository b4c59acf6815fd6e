package io.llmsim.core.gemini;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.json.Json;
import io.llmsim.core.model.Choice;
import io.llmsim.core.model.FinishReason;
import io.llmsim.core.model.ToolCall;
import io.llmsim.core.synth.Synthesis;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code GenerateContentResponse}s (WIRE-FORMATS §6.2) in Google's key order: candidates
 * ({@code content} with {@code parts} then {@code role}, {@code finishReason}, {@code index}),
 * {@code usageMetadata}, {@code modelVersion}, {@code responseId}.
 */
final class GeminiRenderer {
  /**
   * What one response says about one candidate: a text part, function calls, or neither (an empty
   * answer); {@code finish} is null until the candidate's last response.
   */
  record Piece(int index, String text, List<ToolCall> calls, FinishReason finish) {}

  private GeminiRenderer() {}

  /** The whole answer as one pretty-printed body. */
  static byte[] response(GeminiEnvelope envelope, Synthesis synthesis) {
    List<Piece> pieces = new ArrayList<>();
    for (Choice c : synthesis.choices()) {
      pieces.add(new Piece(c.index(), c.isToolCall() ? null : c.content(), c.toolCalls(),
          c.finishReason()));
    }
    return GeminiJson.pretty(
        g -> write(g, envelope, pieces, synthesis.usage().completionTokens()));
  }

  static void write(JsonGenerator g, GeminiEnvelope envelope, List<Piece> pieces,
      int candidatesTokens) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("candidates");
    for (Piece piece : pieces) {
      writeCandidate(g, piece);
    }
    g.writeEndArray();
    writeUsage(g, envelope, candidatesTokens);
    g.writeStringField("modelVersion", envelope.modelVersion());
    g.writeStringField("responseId", envelope.responseId());
    g.writeEndObject();
  }

  private static void writeCandidate(JsonGenerator g, Piece piece) throws IOException {
    List<ToolCall> calls = new ArrayList<>();
    List<JsonNode> args = new ArrayList<>();
    for (ToolCall call : piece.calls()) {
      JsonNode parsed = arguments(call);
      if (parsed != null) {
        calls.add(call);
        args.add(parsed);
      }
    }
    boolean hasText = piece.text() != null && !piece.text().isEmpty();
    g.writeStartObject();
    g.writeObjectFieldStart("content");
    if (hasText || !args.isEmpty()) {
      g.writeArrayFieldStart("parts");
      if (hasText) {
        g.writeStartObject();
        g.writeStringField("text", piece.text());
        g.writeEndObject();
      }
      for (int i = 0; i < args.size(); i++) {
        g.writeStartObject();
        g.writeObjectFieldStart("functionCall");
        g.writeStringField("name", calls.get(i).name());
        g.writeFieldName("args");
        Json.MAPPER.writeTree(g, args.get(i));
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeStringField("role", "model");
    g.writeEndObject();
    if (piece.finish() != null) {
      g.writeStringField("finishReason", finishReason(piece.finish()));
    }
    g.writeNumberField("index", piece.index());
    g.writeEndObject();
  }

  /**
   * The arguments as a JSON object, or null when a token limit cut them short: Gemini sends a call
   * whole or not at all, never a fragment.
   */
  private static JsonNode arguments(ToolCall call) {
    try {
      JsonNode node = Json.MAPPER.readTree(call.arguments());
      return node != null && node.isObject() ? node : null;
    } catch (JacksonException e) {
      return null;
    }
  }

  /**
   * Usage as Google reports it: {@code totalTokenCount} is prompt plus candidates, and a zero
   * {@code candidatesTokenCount} is left out, as proto3 JSON leaves out zero values.
   */
  private static void writeUsage(JsonGenerator g, GeminiEnvelope envelope, int candidatesTokens)
      throws IOException {
    g.writeObjectFieldStart("usageMetadata");
    g.writeNumberField("promptTokenCount", envelope.promptTokens());
    if (candidatesTokens > 0) {
      g.writeNumberField("candidatesTokenCount", candidatesTokens);
    }
    g.writeNumberField("totalTokenCount", envelope.promptTokens() + candidatesTokens);
    g.writeFieldName("promptTokensDetails");
    writeModalities(g, envelope.promptTokens(), envelope.mediaTokens());
    g.writeEndObject();
  }

  /** {@code [{"modality": "TEXT", "tokenCount": n}]}, plus an IMAGE entry for media parts. */
  static void writeModalities(JsonGenerator g, int tokens, int mediaTokens) throws IOException {
    g.writeStartArray();
    g.writeStartObject();
    g.writeStringField("modality", "TEXT");
    g.writeNumberField("tokenCount", tokens - mediaTokens);
    g.writeEndObject();
    if (mediaTokens > 0) {
      g.writeStartObject();
      g.writeStringField("modality", "IMAGE");
      g.writeNumberField("tokenCount", mediaTokens);
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** Gemini ends a function call with STOP, as it ends text. */
  static String finishReason(FinishReason reason) {
    return reason == FinishReason.LENGTH ? "MAX_TOKENS" : "STOP";
  }
}
