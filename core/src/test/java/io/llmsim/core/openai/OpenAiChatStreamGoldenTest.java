package io.llmsim.core.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.core.generate.Generators;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.RequestOptions;
import io.llmsim.core.synth.SynthesisSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes and offsets of seeded chat streams, against reviewed golden files: the layout
 * WIRE-FORMATS §2.3 prescribes (data-only events, one line of JSON each, blank line after every
 * event, role only in the first delta, finish chunk, usage chunk, [DONE]).
 */
class OpenAiChatStreamGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = 1_767_225_600L;

  private static OpenAiChatCompletions chat() throws IOException {
    ProfileCatalog catalog = ProfileCatalog.builtIn().with(JSON.readTree("""
        {"profiles": {"golden": {
          "ttft": {"type": "constant", "value": 200},
          "itl": {"type": "constant", "value": 25},
          "output-tokens": {"type": "constant", "value": 6}}}}
        """));
    return new OpenAiChatCompletions(
        new SynthesisSettings(catalog, Generators.lorem(), "golden", Speed.NORMAL));
  }

  /** Frames as {@code +OFFSETms} lines each followed by the frame's exact text. */
  static String render(ResponsePlan plan) {
    StringBuilder out = new StringBuilder();
    out.append("status ").append(plan.status()).append('\n');
    plan.headers().stream()
        .filter(h -> h.getKey().equals("content-type"))
        .forEach(h -> out.append(h.getKey()).append(": ").append(h.getValue()).append('\n'));
    for (Frame f = plan.frames().next(); f != null; f = plan.frames().next()) {
      out.append('+').append(TimeUnit.NANOSECONDS.toMillis(f.offsetNanos())).append("ms\n");
      out.append(new String(f.bytes(), StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  /**
   * The reviewed golden text. Run with {@code -Dgolden.update=true} to rewrite the file from the
   * actual output after a deliberate change, then review the diff before committing.
   */
  static String golden(String name, String actual) throws IOException {
    if (Boolean.getBoolean("golden.update")) {
      Path file = Path.of("src/test/resources/golden", name);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    try (InputStream in = OpenAiChatStreamGoldenTest.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new AssertionError("no golden file " + name + "; run with -Dgolden.update=true");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static JsonNode body(String json) throws IOException {
    return JSON.readTree(json);
  }

  @Test
  void textStreamWithUsage() throws IOException {
    ResponsePlan plan = chat().synthesize(body("""
        {"model": "gpt-4o-mini", "stream": true, "seed": 11,
         "stream_options": {"include_usage": true},
         "messages": [{"role": "user", "content": "Hello"}]}
        """), RequestOptions.NONE, NOW);
    String actual = render(plan);
    assertThat(actual).isEqualTo(golden("openai-chat-stream.txt", actual));
  }

  @Test
  void toolCallStreamWithoutObfuscation() throws IOException {
    ResponsePlan plan = chat().synthesize(body("""
        {"model": "gpt-4o", "stream": true, "seed": 5,
         "stream_options": {"include_obfuscation": false},
         "messages": [{"role": "user", "content": "Weather in Oslo?"}],
         "tools": [{"type": "function", "function": {"name": "get_weather",
           "parameters": {"type": "object", "additionalProperties": false,
             "properties": {"unit": {"type": "string", "enum": ["c", "f"]}},
             "required": ["unit"]}}}],
         "tool_choice": "required"}
        """), RequestOptions.NONE, NOW);
    String actual = render(plan);
    assertThat(actual).isEqualTo(golden("openai-chat-tool-stream.txt", actual));
  }
}
