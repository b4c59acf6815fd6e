package io.llmsim.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * How replay decides that a request matches a recording, when the exact fingerprint recording
 * stored is too strict for a fixture set (DESIGN §7): the fingerprint with more fields ignored
 * ({@code --match-ignore /temperature}), or a loose match on the endpoint, the model and the last
 * user message only ({@code --match loose}). Keys are compared, never stored: replay keys each
 * recording's stored request the same way. Thread-safe.
 */
public final class MatchRule {
  private final Fingerprint fingerprint;
  private final boolean loose;

  private MatchRule(Fingerprint fingerprint, boolean loose) {
    this.fingerprint = fingerprint;
    this.loose = loose;
  }

  /** The default fingerprint with {@code ignored} JSON pointers left out as well. */
  public static MatchRule ignoring(List<String> ignored) {
    return new MatchRule(Fingerprint.builder().ignore(ignored).build(), false);
  }

  /** Endpoint, model and the last user message: other messages and every parameter may differ. */
  public static MatchRule loose() {
    return new MatchRule(null, true);
  }

  /** The key of a request; equal keys match. */
  public String key(String scope, String endpoint, String model, byte[] body) {
    if (!loose) {
      return fingerprint.compute(scope, endpoint, model, body);
    }
    MessageDigest sha = sha256();
    for (String part : new String[] {scope == null ? "" : scope, endpoint,
        model == null ? "" : model, lastUserMessage(body)}) {
      sha.update(part.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0xff);
    }
    return "loose-" + HexFormat.of().formatHex(sha.digest());
  }

  /**
   * The text of the last user turn, in whichever provider's shape: OpenAI chat and Anthropic
   * {@code messages}, the Responses API's {@code input}, Gemini's {@code contents}, legacy
   * {@code prompt}. Empty when there is none (the key then rests on endpoint and model).
   */
  static String lastUserMessage(byte[] body) {
    JsonNode root;
    try {
      root = body.length == 0 ? null : Json.MAPPER.readTree(body);
    } catch (IOException notJson) {
      return new String(body, StandardCharsets.UTF_8);
    }
    if (root == null || !root.isObject()) {
      return "";
    }
    for (String list : new String[] {"messages", "input", "contents"}) {
      JsonNode turns = root.get(list);
      if (turns != null && turns.isTextual()) {
        return turns.asText();
      }
      if (turns != null && turns.isArray()) {
        for (int i = turns.size() - 1; i >= 0; i--) {
          JsonNode turn = turns.get(i);
          String role = turn.path("role").asText("user");
          if (role.equals("user")) {
            return text(turn.has("parts") ? turn.get("parts") : turn.get("content"));
          }
        }
      }
    }
    JsonNode prompt = root.get("prompt");
    return prompt == null ? "" : prompt.isTextual() ? prompt.asText() : prompt.toString();
  }

  /** A content value as text: a string, or the text of its parts joined. */
  private static String text(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode part : content) {
      JsonNode text = part.get("text");
      if (text != null && text.isTextual()) {
        out.append(text.asText());
      }
    }
    return out.toString();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
