package io.llmsim.core.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.core.api.ApiConfig;
import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Router;
import io.llmsim.core.generate.Generators;
import io.llmsim.core.generate.TextGenerator;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.ResponsePlan;
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
import org.junit.jupiter.api.Test;

/**
 * The exact bytes and offsets of seeded Gemini streams, against reviewed golden files: the layout
 * WIRE-FORMATS §6.3 prescribes (one {@code data: } line of JSON per event, a blank line after
 * every event including the last, no comments, {@code event:} lines or terminator; complete
 * responses with cumulative usage; {@code "key": value} byte style and Unicode escapes of
 * {@code <>&}), and the streamed JSON array answered without {@code alt=sse}.
 */
class GeminiStreamGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = 1_767_225_600L;
  private static final String STREAM = "/v1beta/models/gemini-2.5-flash:streamGenerateContent";

  /** A router with only Gemini, answering from the constant {@code golden} profile. */
  private static Router api(TextGenerator generator) throws IOException {
    ProfileCatalog catalog = ProfileCatalog.builtIn().with(JSON.readTree("""
        {"profiles": {"golden": {
          "ttft": {"type": "constant", "value": 300},
          "itl": {"type": "constant", "value": 80},
          "output-tokens": {"type": "constant", "value": 24},
          "tokens-per-chunk": {"type": "constant", "value": 10}}}}
        """));
    SynthesisSettings settings =
        new SynthesisSettings(catalog, generator, "golden", Speed.NORMAL);
    return new Router(List.of(new GeminiApi(new ApiConfig(settings, List.of()))),
        (request, e) -> {
          throw e;
        });
  }

  private static ResponsePlan stream(Router router, String uri, String body) {
    return router.route(new ApiRequest("POST", uri, Map.of("x-goog-api-key", "test"),
        body.getBytes(StandardCharsets.UTF_8), NOW));
  }

  /** Frames as {@code +OFFSETms N bytes} lines, each followed by the frame's exact text. */
  static String render(ResponsePlan plan) {
    StringBuilder out = new StringBuilder();
    out.append("status ").append(plan.status()).append('\n');
    plan.headers().forEach(h -> out.append(h.getKey()).append(": ").append(h.getValue())
        .append('\n'));
    for (Frame f = plan.frames().next(); f != null; f = plan.frames().next()) {
      out.append('+').append(TimeUnit.NANOSECONDS.toMillis(f.offsetNanos())).append("ms ")
          .append(f.bytes().length).append(" bytes\n");
      out.append(new String(f.bytes(), StandardCharsets.UTF_8)).append('\n');
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
    try (InputStream in = GeminiStreamGoldenTest.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new AssertionError("no golden file " + name + "; run with -Dgolden.update=true");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<byte[]> frames(ResponsePlan plan) {
    List<byte[]> frames = new ArrayList<>();
    for (Frame f = plan.frames().next(); f != null; f = plan.frames().next()) {
      frames.add(f.bytes());
    }
    return frames;
  }

  @Test
  void textStreamOfTwoCandidates() throws IOException {
    String body = """
        {"systemInstruction": {"parts": [{"text": "Be terse."}]},
         "contents": [{"role": "user", "parts": [{"text": "Hello"}]}],
         "generationConfig": {"seed": 11, "candidateCount": 2, "maxOutputTokens": 20}}
        """;
    String actual = render(stream(api(Generators.lorem()), STREAM + "?alt=sse", body));
    assertThat(actual).isEqualTo(golden("gemini-stream.txt", actual));

    // What the golden file shows, checked independently of it.
    List<byte[]> frames = frames(stream(api(Generators.lorem()), STREAM + "?alt=sse", body));
    int previous = 0;
    for (int i = 0; i < frames.size(); i++) {
      String event = new String(frames.get(i), StandardCharsets.UTF_8);
      assertThat(event).startsWith("data: {").endsWith("}\n\n");
      assertThat(event.substring(0, event.length() - 2)).doesNotContain("\n", "\r");
      JsonNode json = JSON.readTree(event.substring("data: ".length()));
      int total = json.path("usageMetadata").path("candidatesTokenCount").asInt();
      assertThat(total).isGreaterThanOrEqualTo(previous);
      previous = total;
      assertThat(json.path("responseId").asText()).hasSize(23);
      assertThat(json.path("modelVersion").asText()).isEqualTo("gemini-2.5-flash");
    }
    JsonNode last = JSON.readTree(
        new String(frames.get(frames.size() - 1), StandardCharsets.UTF_8).substring(6));
    assertThat(last.path("usageMetadata").path("candidatesTokenCount").asInt()).isEqualTo(40);
    assertThat(last.findValuesAsText("finishReason")).contains("MAX_TOKENS");
  }

  @Test
  void functionCallArrivesWholeInOneEvent() throws IOException {
    String body = """
        {"contents": [{"role": "user", "parts": [{"text": "Weather in Oslo?"}]}],
         "tools": [{"functionDeclarations": [{"name": "getWeather",
           "description": "Current weather",
           "parameters": {"type": "OBJECT",
             "properties": {"location": {"type": "STRING"},
                            "unit": {"type": "STRING", "enum": ["C", "F"]}},
             "required": ["location", "unit"]}}]}],
         "toolConfig": {"functionCallingConfig": {"mode": "ANY"}},
         "generationConfig": {"seed": 5}}
        """;
    ResponsePlan plan = stream(api(Generators.lorem()), STREAM + "?alt=sse", body);
    String actual = render(plan);
    assertThat(actual).isEqualTo(golden("gemini-function-call-stream.txt", actual));
    assertThat(actual).containsOnlyOnce("data: ").contains("\"functionCall\": {\"name\": "
        + "\"getWeather\",\"args\": {");
  }

  @Test
  void withoutAltSseTheStreamIsOneJsonArray() throws IOException {
    String body = """
        {"contents": [{"parts": [{"text": "Weather?"}]}], "generationConfig": {"seed": 2}}
        """;
    Router api =
        api(Generators.fixed("Sunny, 24°C <warm> & dry; the wind is light from the north-west,"
            + " and the evening should stay clear with a low of 15°C."));
    String actual = render(stream(api, STREAM, body));
    assertThat(actual).isEqualTo(golden("gemini-json-array-stream.txt", actual));
    assertThat(actual).contains("\\u003cwarm\\u003e \\u0026 dry").contains("24°C");

    StringBuilder whole = new StringBuilder();
    for (byte[] frame : frames(stream(api, STREAM, body))) {
      whole.append(new String(frame, StandardCharsets.UTF_8));
    }
    JsonNode array = JSON.readTree(whole.toString());
    assertThat(array.isArray()).isTrue();
    assertThat(array.size()).isGreaterThan(1);
    StringBuilder text = new StringBuilder();
    array.forEach(r -> text.append(r.at("/candidates/0/content/parts/0/text").asText()));
    assertThat(text.toString()).startsWith("Sunny, 24°C <warm> & dry;");
  }
}
