package io.llmsim.store.profile;

import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import io.llmsim.store.RecordedExchange.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds recorded OpenAI chat streams with chosen timing, laid out as WIRE-FORMATS §2.3 shows real
 * traffic: a role chunk, one content chunk per token, a finish chunk, a usage chunk, {@code [DONE]}.
 * Every third content event is split across two network chunks, the completing half arriving at
 * the event's time, so the fitter sees the framing real recordings have.
 */
final class OpenAiStreams {
  private OpenAiStreams() {}

  /**
   * @param ttftMicros offset of the first content event
   * @param gapsMicros gaps between successive content events (one fewer than the tokens)
   */
  static RecordedExchange exchange(String id, String model, int promptTokens, long ttftMicros,
      long[] gapsMicros) {
    int tokens = gapsMicros.length + 1;
    String prefix = "{\"id\":\"chatcmpl-" + id + "\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1767225600,\"model\":\"" + model + "\",\"system_fingerprint\":\"fp_3f9a0c1d2e\"";
    String head = prefix + ",\"choices\":[";
    String tail = "],\"usage\":null}";
    List<Chunk> chunks = new ArrayList<>();
    long headers = ttftMicros / 3;
    chunks.add(chunk(headers + 50, "data: " + head
        + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
        + "\"logprobs\":null,\"finish_reason\":null}" + tail + "\n\n"));
    long at = ttftMicros;
    long previous = headers + 50;
    for (int i = 0; i < tokens; i++) {
      if (i > 0) {
        at += gapsMicros[i - 1];
      }
      String event = "data: " + head + "{\"index\":0,\"delta\":{\"content\":\"" + (i == 0 ? "" : " ")
          + "tok" + i + "\"},\"logprobs\":null,\"finish_reason\":null}" + tail + "\n\n";
      if (i % 3 == 2) {
        int cut = event.length() / 2;
        chunks.add(chunk(previous, event.substring(0, cut)));
        chunks.add(chunk(at, event.substring(cut)));
      } else {
        chunks.add(chunk(at, event));
      }
      previous = at;
    }
    chunks.add(chunk(at + 300, "data: " + head
        + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}" + tail + "\n\n"
        + "data: " + prefix + ",\"choices\":[],\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + tokens
        + ",\"total_tokens\":" + (promptTokens + tokens) + "}}\n\n"
        + "data: [DONE]\n\n"));
    Request request = new Request("POST", "/v1/chat/completions", "",
        List.of(new Header("content-type", "application/json")),
        ("{\"model\":\"" + model + "\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"question " + id + "\"}]}")
            .getBytes(StandardCharsets.UTF_8));
    return new RecordedExchange(id, "fp-" + id, "openai", "chat.completions", model,
        1_767_225_600_000L, request, 200,
        List.of(new Header("content-type", "text/event-stream; charset=utf-8")), headers, chunks,
        new TokenUsage((long) promptTokens, (long) tokens), true, List.of());
  }

  private static Chunk chunk(long offsetMicros, String text) {
    return new Chunk(offsetMicros, text.getBytes(StandardCharsets.UTF_8));
  }
}
