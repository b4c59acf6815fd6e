package io.llmsim.core.openai;

import static io.llmsim.core.openai.OpenAiChatStreamGoldenTest.golden;
import static io.llmsim.core.openai.OpenAiChatStreamGoldenTest.render;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes and offsets of seeded Responses API streams against reviewed golden files, plus
 * the layout rules of WIRE-FORMATS §3.3 checked independently of the files: an {@code event:} line
 * equal to the data's {@code type}, one line of JSON, a blank line after every event, dense
 * {@code sequence_number}s from 0, {@code response.created} first, a terminal event last, no
 * {@code [DONE]}.
 */
class OpenAiResponseStreamGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = 1_767_225_600L;

  static SynthesisSettings golden6() throws IOException {
    ProfileCatalog catalog = ProfileCatalog.builtIn().with(JSON.readTree("""
        {"profiles": {"golden": {
          "ttft": {"type": "constant", "value": 200},
          "itl": {"type": "constant", "value": 25},
          "output-tokens": {"type": "constant", "value": 6}}}}
        """));
    return new SynthesisSettings(catalog, Generators.lorem(), "golden", Speed.NORMAL);
  }

  private static ResponsePlan plan(String body) throws IOException {
    return new OpenAiResponses(golden6()).synthesize(JSON.readTree(body), RequestOptions.NONE, NOW);
  }

  /** The events of a plan, checked against the framing rules, as parsed data objects. */
  static List<JsonNode> events(ResponsePlan plan) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    long last = 0;
    for (Frame f = plan.frames().next(); f != null; f = plan.frames().next()) {
      assertThat(f.offsetNanos()).isGreaterThanOrEqualTo(last);
      last = f.offsetNanos();
      String text = new String(f.bytes(), StandardCharsets.UTF_8);
      assertThat(text).startsWith("event: ").endsWith("\n\n");
      String[] lines = text.substring(0, text.length() - 2).split("\n", -1);
      assertThat(lines).hasSize(2);
      assertThat(lines[1]).startsWith("data: {");
      JsonNode data = JSON.readTree(lines[1].substring("data: ".length()));
      assertThat(lines[0]).isEqualTo("event: " + data.get("type").asText());
      assertThat(data.get("sequence_number").asInt()).isEqualTo(events.size());
      events.add(data);
    }
    return events;
  }

  private static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.get("type").asText()).toList();
  }

  @Test
  void textStream() throws IOException {
    String body = """
        {"model": "gpt-4.1-mini", "stream": true, "seed": 11,
         "instructions": "Be terse.", "input": "Capital of Norway?"}
        """;
    String actual = render(plan(body));
    assertThat(actual).isEqualTo(golden("openai-responses-stream.txt", actual));

    List<JsonNode> events = events(plan(body));
    assertThat(types(events)).containsExactly(
        "response.created", "response.in_progress", "response.output_item.added",
        "response.content_part.added", "response.output_text.delta",
        "response.output_text.delta", "response.output_text.delta",
        "response.output_text.delta", "response.output_text.delta",
        "response.output_text.delta", "response.output_text.done",
        "response.content_part.done", "response.output_item.done", "response.completed");
    StringBuilder text = new StringBuilder();
    events.stream().filter(e -> e.get("type").asText().equals("response.output_text.delta"))
        .forEach(e -> text.append(e.get("delta").asText()));
    JsonNode done = events.get(events.size() - 1).get("response");
    assertThat(done.get("status").asText()).isEqualTo("completed");
    assertThat(done.at("/output/0/content/0/text").asText()).isEqualTo(text.toString());
    assertThat(done.at("/usage/output_tokens").asInt()).isEqualTo(6);
    assertThat(done.get("instructions").asText()).isEqualTo("Be terse.");
    assertThat(events.get(0).at("/response/status").asText()).isEqualTo("in_progress");
    assertThat(events.get(0).at("/response/usage").isNull()).isTrue();

    // The non-streaming body for the same seed is the completed event's response.
    ResponsePlan whole = plan(body.replace("\"stream\": true", "\"stream\": false"));
    JsonNode object = JSON.readTree(whole.frames().next().bytes());
    assertThat(object).isEqualTo(done);
  }

  @Test
  void functionCallStreamWithoutObfuscation() throws IOException {
    String body = """
        {"model": "gpt-4o", "stream": true, "seed": 5,
         "stream_options": {"include_obfuscation": false},
         "input": [{"role": "user", "content": [{"type": "input_text", "text": "Oslo?"}]}],
         "tools": [{"type": "function", "name": "get_weather",
           "parameters": {"type": "object", "additionalProperties": false,
             "properties": {"unit": {"type": "string", "enum": ["c", "f"]}},
             "required": ["unit"]}}],
         "tool_choice": "required"}
        """;
    String actual = render(plan(body));
    assertThat(actual).isEqualTo(golden("openai-responses-tool-stream.txt", actual));

    List<JsonNode> events = events(plan(body));
    List<String> types = types(events);
    assertThat(types.get(2)).isEqualTo("response.output_item.added");
    assertThat(types).doesNotContain("response.content_part.added", "response.output_text.delta");
    assertThat(types.subList(types.size() - 3, types.size())).containsExactly(
        "response.function_call_arguments.done", "response.output_item.done",
        "response.completed");
    JsonNode added = events.get(2).get("item");
    assertThat(added.get("type").asText()).isEqualTo("function_call");
    assertThat(added.get("arguments").asText()).isEmpty();
    StringBuilder arguments = new StringBuilder();
    events.stream()
        .filter(e -> e.get("type").asText().equals("response.function_call_arguments.delta"))
        .forEach(e -> {
          assertThat(e.has("obfuscation")).isFalse();
          arguments.append(e.get("delta").asText());
        });
    JsonNode call = events.get(events.size() - 1).at("/response/output/0");
    assertThat(call.get("arguments").asText()).isEqualTo(arguments.toString());
    assertThat(call.get("call_id").asText()).startsWith("call_");
    assertThat(call.get("id").asText()).startsWith("fc_").hasSize(3 + 48);
    assertThat(JSON.readTree(arguments.toString()).get("unit").asText()).isIn("c", "f");
  }

  @Test
  void maxOutputTokensEndsWithResponseIncomplete() throws IOException {
    // The golden profile answers in 6 tokens, under the minimum limit: a long fixed answer is cut.
    SynthesisSettings fixed = new SynthesisSettings(golden6().profiles(),
        Generators.fixed("one two three four five six seven eight nine ten eleven twelve"
            + " thirteen fourteen fifteen sixteen seventeen eighteen"), "golden", Speed.NORMAL);
    ResponsePlan plan = new OpenAiResponses(fixed).synthesize(JSON.readTree("""
        {"model": "gpt-4o", "stream": true, "max_output_tokens": 16, "input": "Hi"}
        """), RequestOptions.NONE, NOW);
    List<JsonNode> events = events(plan);
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.get("type").asText()).isEqualTo("response.incomplete");
    assertThat(last.at("/response/status").asText()).isEqualTo("incomplete");
    assertThat(last.at("/response/incomplete_details/reason").asText())
        .isEqualTo("max_output_tokens");
    assertThat(last.at("/response/usage/output_tokens").asInt()).isEqualTo(16);
    assertThat(last.at("/response/output/0/status").asText()).isEqualTo("incomplete");
  }
}
