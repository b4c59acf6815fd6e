package io.llmsim.core.openai;

import static io.llmsim.core.openai.OpenAiChatStreamGoldenTest.golden;
import static io.llmsim.core.openai.OpenAiChatStreamGoldenTest.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.generate.Generators;
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
 * Legacy completions (WIRE-FORMATS §4.1): the golden byte layout of a seeded stream, and the
 * body's defaults, batching, echo and validation.
 */
class OpenAiCompletionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = 1_767_225_600L;

  private static ResponsePlan plan(SynthesisSettings settings, String body) throws IOException {
    return new OpenAiCompletions(settings)
        .synthesize(JSON.readTree(body), RequestOptions.NONE, NOW);
  }

  private static List<String> frames(ResponsePlan plan) {
    List<String> frames = new ArrayList<>();
    for (Frame f = plan.frames().next(); f != null; f = plan.frames().next()) {
      frames.add(new String(f.bytes(), StandardCharsets.UTF_8));
    }
    return frames;
  }

  @Test
  void streamWithTwoChoicesAndUsage() throws IOException {
    String body = """
        {"model": "gpt-3.5-turbo-instruct", "prompt": "Say this is a test", "stream": true,
         "n": 2, "seed": 3, "stream_options": {"include_usage": true}}
        """;
    SynthesisSettings settings = OpenAiResponseStreamGoldenTest.golden6();
    String actual = render(plan(settings, body));
    assertThat(actual).isEqualTo(golden("openai-completions-stream.txt", actual));

    List<String> frames = frames(plan(settings, body));
    assertThat(frames).allSatisfy(f -> {
      assertThat(f).startsWith("data: ").endsWith("\n\n");
      assertThat(f.substring(0, f.length() - 2)).doesNotContain("\n");
    });
    assertThat(frames.get(frames.size() - 1)).isEqualTo("data: [DONE]\n\n");
    JsonNode usage = JSON.readTree(frames.get(frames.size() - 2).substring(6));
    assertThat(usage.get("choices")).isEmpty();
    // Two choices of the golden profile's 6 tokens; the prompt "Say this is a test" is 5.
    assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(12);
    assertThat(usage.at("/usage/prompt_tokens").asInt()).isEqualTo(5);
    StringBuilder[] texts = {new StringBuilder(), new StringBuilder()};
    List<String> finishes = new ArrayList<>();
    for (String f : frames.subList(0, frames.size() - 2)) {
      JsonNode chunk = JSON.readTree(f.substring(6));
      assertThat(chunk.get("object").asText()).isEqualTo("text_completion");
      JsonNode choice = chunk.at("/choices/0");
      texts[choice.get("index").asInt()].append(choice.get("text").asText());
      if (!choice.get("finish_reason").isNull()) {
        finishes.add(choice.get("index").asInt() + ":" + choice.get("finish_reason").asText());
      }
    }
    assertThat(finishes).containsExactly("0:stop", "1:stop");

    // Without streaming, the same seed gives the same texts.
    JsonNode whole = JSON.readTree(
        plan(settings, body.replace("\"stream\": true", "\"stream\": false")
            .replace(", \"stream_options\": {\"include_usage\": true}", ""))
            .frames().next().bytes());
    assertThat(whole.at("/choices/0/text").asText()).isEqualTo(texts[0].toString());
    assertThat(whole.at("/choices/1/text").asText()).isEqualTo(texts[1].toString());
  }

  @Test
  void maxTokensDefaultsTo16AndBatchesNumberChoicesPromptByPrompt() throws IOException {
    SynthesisSettings settings = new SynthesisSettings(
        OpenAiResponseStreamGoldenTest.golden6().profiles(), Generators.echo(), "golden",
        Speed.NORMAL);
    JsonNode body = JSON.readTree(plan(settings, """
        {"model": "gpt-3.5-turbo-instruct", "n": 2, "echo": true,
         "prompt": ["one two three four five six seven eight nine ten eleven twelve thirteen \
        fourteen fifteen sixteen seventeen", "Hello"]}
        """).frames().next().bytes());
    assertThat(body.get("object").asText()).isEqualTo("text_completion");
    assertThat(body.get("id").asText()).startsWith("cmpl-").hasSize(5 + 29);
    JsonNode choices = body.get("choices");
    assertThat(choices).hasSize(4);
    for (int i = 0; i < 4; i++) {
      assertThat(choices.get(i).get("index").asInt()).isEqualTo(i);
      assertThat(choices.get(i).get("logprobs").isNull()).isTrue();
    }
    // The echo generator repeats each prompt: the long one is cut at 16 tokens.
    assertThat(choices.get(0).get("finish_reason").asText()).isEqualTo("length");
    assertThat(choices.get(2).get("finish_reason").asText()).isEqualTo("stop");
    assertThat(choices.get(2).get("text").asText()).startsWith("HelloHello");
    assertThat(choices.get(0).get("text").asText()).startsWith("one two");
    assertThat(body.at("/usage/completion_tokens").asInt())
        .isEqualTo(2 * 16 + 2 * 1);
  }

  @Test
  void tokenPromptsCountOneTokenPerId() throws IOException {
    JsonNode body = JSON.readTree(plan(OpenAiResponseStreamGoldenTest.golden6(), """
        {"model": "gpt-3.5-turbo-instruct", "prompt": [[1, 2, 3], [4, 5]], "max_tokens": 2}
        """).frames().next().bytes());
    assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(5);
    assertThat(body.get("choices")).hasSize(2);
    assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(4);
  }

  @Test
  void refusesBadRequestsNamingTheField() {
    SynthesisSettings settings = SynthesisSettings.defaults();
    assertThatThrownBy(() -> plan(settings, "{\"model\": \"gpt-3.5-turbo-instruct\"}"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.error().param()).isEqualTo("prompt");
          assertThat(e.error().code()).isEqualTo("missing_required_parameter");
        });
    assertThatThrownBy(() -> plan(settings,
        "{\"model\": \"gpt-3.5-turbo-instruct\", \"prompt\": []}"))
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.error().code()).isEqualTo("empty_array"));
    assertThatThrownBy(() -> plan(settings,
        "{\"model\": \"gpt-3.5-turbo-instruct\", \"prompt\": [\"a\", 1]}"))
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.error().param()).isEqualTo("prompt"));
    assertThatThrownBy(() -> plan(settings,
        "{\"model\": \"gpt-3.5-turbo-instruct\", \"prompt\": \"x\", \"max_tokens\": -1}"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.error().param()).isEqualTo("max_tokens");
          assertThat(e.error().code()).isEqualTo("integer_below_min_value");
        });
    assertThatThrownBy(() -> plan(settings,
        "{\"model\": \"gpt-3.5-turbo-instruct\", \"prompt\": \"x\","
            + " \"stream_options\": {\"include_usage\": true}}"))
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.error().param()).isEqualTo("stream_options"));
  }
}
