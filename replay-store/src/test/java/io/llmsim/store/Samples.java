package io.llmsim.store;

import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import io.llmsim.store.RecordedExchange.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/** Test exchanges and fake keys. Keys are assembled at runtime so no key-shaped literal exists. */
public final class Samples {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private Samples() {}

  public static String randomAlnum(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
    }
    return sb.toString();
  }

  /** Shaped like an OpenAI project key. */
  public static String openAiKey() {
    return "sk" + "-" + "proj" + "-" + randomAlnum(48);
  }

  /** Shaped like an Anthropic key. */
  public static String anthropicKey() {
    return "sk" + "-" + "ant" + "-" + "api03" + "-" + randomAlnum(40);
  }

  /** Shaped like a Google API key. */
  public static String googleKey() {
    return "AI" + "za" + "Sy" + randomAlnum(33);
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static RecordedExchange exchange(String id, String fingerprint) {
    Request req = new Request("POST", "/v1/chat/completions", "",
        List.of(new Header("Content-Type", "application/json"), new Header("Accept", "*/*")),
        utf8("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hi " + id + "\"}]}"));
    return new RecordedExchange(id, fingerprint, "openai", "chat.completions", "gpt-4o-mini",
        1_760_000_000_000L, req, 200,
        List.of(new Header("content-type", "text/event-stream"), new Header("x-request-id", id)),
        180_000,
        List.of(
            new Chunk(180_500, utf8("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n")),
            new Chunk(210_000, utf8("data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n")),
            new Chunk(240_250, utf8("data: [DONE]\n\n"))),
        new TokenUsage(12L, 2L), true, List.of("test", "sample"));
  }
}
