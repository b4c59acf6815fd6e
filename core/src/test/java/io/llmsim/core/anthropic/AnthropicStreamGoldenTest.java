package io.llmsim.core.anthropic;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes, headers and offsets of seeded Anthropic streams, against reviewed golden files:
 * the layout WIRE-FORMATS §5.4 prescribes (an {@code event:} line equal to the data's type, a
 * blank line after every event, message_start first, ping after the first block start, dense block
 * indexes, message_delta with the stop reason and usage, message_stop last, no terminator).
 */
class AnthropicStreamGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = 1_767_225_600L;
  private static final Pattern EVENT =
      Pattern.compile("event: ([a-z_]+)\ndata: (\\{[^\n]*})\n\n");

  static AnthropicMessages messages() throws IOException {
    ProfileCatalog catalog = ProfileCatalog.builtIn().with(JSON.readTree("""
        {"profiles": {"golden": {
          "ttft": {"type": "constant", "value": 200},
          "itl": {"type": "constant", "value": 25},
          "output-tokens": {"type": "constant", "value": 8},
          "tokens-per-chunk": {"type": "constant", "value": 3}}}}
        """));
    return new AnthropicMessages(
        new SynthesisSettings(catalog, Generators.lorem(), "golden", Speed.NORMAL),
        AnthropicModels.builtIn());
  }

  /** Status, every header, then each frame as a {@code +OFFSETms} line and its exact text. */
  static String render(ResponsePlan plan) {
    StringBuilder out = new StringBuilder();
    out.append("status ").append(plan.status()).append('\n');
    for (Map.Entry<String, String> h : plan.headers()) {
      out.append(h.getKey()).append(": ").append(h.getValue()).append('\n');
    }
    out.append("headers at +")
        .append(TimeUnit.NANOSECONDS.toMillis(plan.headersOffsetNanos())).append("ms\n");
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
      Files.writeString(Path.of("src/test/resources/golden", name), actual,
          StandardCharsets.UTF_8);
    }
    try (InputStream in =
        AnthropicStreamGoldenTest.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new AssertionError("no golden file " + name + "; run with -Dgolden.update=true");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Every frame is whole events; returns the events' names, checking each equals its type. */
  static List<String> eventNames(ResponsePlan plan) throws IOException {
    List<String> names = new ArrayList<>();
    long last = 0;
    for (Frame f = plan.frames().next(); f != null; f = plan.frames().next()) {
      assertThat(f.offsetNanos()).isGreaterThanOrEqualTo(last);
      last = f.offsetNanos();
      String text = new String(f.bytes(), StandardCharsets.UTF_8);
      Matcher m = EVENT.matcher(text);
      assertThat(m.matches()).as("one whole event: %s", text).isTrue();
      assertThat(JSON.readTree(m.group(2)).get("type").asText()).isEqualTo(m.group(1));
      names.add(m.group(1));
    }
    return names;
  }

  private static JsonNode body(String json) throws IOException {
    return JSON.readTree(json);
  }

  private static RequestOptions seed(long seed) {
    return new RequestOptions(null, seed, null);
  }

  @Test
  void textStream() throws IOException {
    ResponsePlan plan = messages().create(body("""
        {"model": "claude-sonnet-4-5", "max_tokens": 1024, "stream": true,
         "system": "Be terse.",
         "messages": [{"role": "user", "content": "Hello"}]}
        """), seed(11), NOW);
    String actual = render(plan);
    assertThat(actual).isEqualTo(golden("anthropic-stream.txt", actual));
  }

  @Test
  void thinkingThenToolUseStream() throws IOException {
    ResponsePlan plan = messages().create(body("""
        {"model": "claude-opus-4-1", "max_tokens": 4096, "stream": true,
         "thinking": {"type": "enabled", "budget_tokens": 2048},
         "messages": [{"role": "user", "content": "Weather in Oslo?"}],
         "tools": [{"name": "get_weather", "description": "Current weather",
           "input_schema": {"type": "object", "additionalProperties": false,
             "properties": {"unit": {"type": "string", "enum": ["c", "f"]}},
             "required": ["unit"]}}]}
        """), seed(5), NOW);
    String actual = render(plan);
    assertThat(actual).isEqualTo(golden("anthropic-thinking-tool-stream.txt", actual));
  }

  @Test
  void everyStreamIsWellFormedEventsInOrder() throws IOException {
    for (long s = 0; s < 30; s++) {
      List<String> names = eventNames(messages().create(body("""
          {"model": "claude-haiku-4-5", "max_tokens": 3000, "stream": true,
           "thinking": {"type": "enabled", "budget_tokens": 1024},
           "messages": [{"role": "user", "content": "Hi"}],
           "tools": [{"name": "t", "input_schema": {"type": "object"}}]}
          """), seed(s), NOW));
      assertThat(names.get(0)).isEqualTo("message_start");
      assertThat(names.get(1)).isEqualTo("content_block_start");
      assertThat(names.get(2)).isEqualTo("ping");
      assertThat(names.subList(names.size() - 2, names.size()))
          .containsExactly("message_delta", "message_stop");
      assertThat(names.stream().filter("content_block_start"::equals).count())
          .isEqualTo(names.stream().filter("content_block_stop"::equals).count());
    }
  }
}
