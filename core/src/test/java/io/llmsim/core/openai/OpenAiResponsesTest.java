package io.llmsim.core.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.generate.Generators;
import io.llmsim.core.generate.SchemaValueGenerator;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.RequestOptions;
import io.llmsim.core.synth.SynthesisSettings;
import io.llmsim.core.tokens.Tokenizer;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/responses} without streaming: the Response object, input forms, errors. */
class OpenAiResponsesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = 1_767_225_600L;
  private static final SynthesisSettings INSTANT =
      new SynthesisSettings(ProfileCatalog.builtIn(), Generators.echo(), "instant", Speed.NORMAL);

  private static JsonNode respond(String body) throws IOException {
    ResponsePlan plan =
        new OpenAiResponses(INSTANT).synthesize(JSON.readTree(body), RequestOptions.NONE, NOW);
    assertThat(plan.status()).isEqualTo(200);
    return JSON.readTree(plan.frames().next().bytes());
  }

  @Test
  void answersWithAMessageAndEchoesTheSettings() throws IOException {
    JsonNode r = respond("""
        {"model": "gpt-4o-mini", "input": "Capital of Norway?", "instructions": "Be terse.",
         "temperature": 0.2, "metadata": {"k": "v"}, "max_output_tokens": 100}
        """);
    assertThat(r.get("id").asText()).startsWith("resp_").hasSize(5 + 48);
    assertThat(r.get("object").asText()).isEqualTo("response");
    assertThat(r.get("created_at").asLong()).isEqualTo(NOW);
    assertThat(r.get("status").asText()).isEqualTo("completed");
    assertThat(r.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(r.get("instructions").asText()).isEqualTo("Be terse.");
    assertThat(r.get("max_output_tokens").asInt()).isEqualTo(100);
    assertThat(r.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(r.get("top_p").asDouble()).isEqualTo(1.0);
    assertThat(r.at("/metadata/k").asText()).isEqualTo("v");
    assertThat(r.at("/text/format/type").asText()).isEqualTo("text");
    assertThat(r.get("tool_choice").asText()).isEqualTo("auto");
    assertThat(r.get("tools")).isEmpty();
    for (String key : new String[] {"error", "incomplete_details", "parallel_tool_calls",
        "previous_response_id", "reasoning", "store", "truncation", "user", "usage"}) {
      assertThat(r.has(key)).as(key).isTrue();
    }
    JsonNode output = r.get("output");
    assertThat(output).hasSize(1);
    assertThat(output.at("/0/type").asText()).isEqualTo("message");
    assertThat(output.at("/0/id").asText()).startsWith("msg_").hasSize(4 + 48);
    assertThat(output.at("/0/role").asText()).isEqualTo("assistant");
    assertThat(output.at("/0/status").asText()).isEqualTo("completed");
    assertThat(output.at("/0/content/0/type").asText()).isEqualTo("output_text");
    // The echo generator repeats the last user message.
    assertThat(output.at("/0/content/0/text").asText()).isEqualTo("Capital of Norway?");
    JsonNode usage = r.get("usage");
    // Counted as chat: 3 priming + (3 + "developer" + instructions) + (3 + "user" + input).
    Tokenizer t = Tokenizer.o200k();
    assertThat(usage.get("input_tokens").asInt()).isEqualTo(
        9 + t.count("developer") + t.count("Be terse.") + t.count("user")
            + t.count("Capital of Norway?"));
    assertThat(usage.get("output_tokens").asInt()).isEqualTo(t.count("Capital of Norway?"));
    assertThat(usage.get("total_tokens").asInt())
        .isEqualTo(usage.get("input_tokens").asInt() + usage.get("output_tokens").asInt());
    assertThat(usage.at("/input_tokens_details/cached_tokens").asInt()).isZero();
    assertThat(usage.at("/output_tokens_details/reasoning_tokens").asInt()).isZero();
  }

  @Test
  void readsInputItemsAndAnswersInTextAfterAFunctionCallOutput() throws IOException {
    JsonNode r = respond("""
        {"model": "gpt-4o", "tools": [{"type": "function", "name": "lookup",
           "parameters": {"type": "object", "properties": {}}}],
         "input": [
           {"role": "user", "content": [{"type": "input_text", "text": "Find Oslo"}]},
           {"type": "reasoning", "id": "rs_1", "summary": []},
           {"type": "function_call", "call_id": "call_1", "name": "lookup", "arguments": "{}"},
           {"type": "function_call_output", "call_id": "call_1", "output": "Norway"}]}
        """);
    assertThat(r.at("/output/0/type").asText()).isEqualTo("message");
    assertThat(r.at("/tools/0/name").asText()).isEqualTo("lookup");
    assertThat(r.at("/tools/0/strict").asBoolean()).isTrue();
  }

  @Test
  void callsAFunctionWithSchemaValidArguments() throws IOException {
    String schema = """
        {"type": "object", "additionalProperties": false,
         "properties": {"city": {"type": "string"}, "days": {"type": "integer",
           "minimum": 1, "maximum": 7}}, "required": ["city", "days"]}
        """;
    JsonNode r = respond("""
        {"model": "gpt-4o", "input": "Weather?", "seed": 4,
         "tools": [{"type": "web_search"},
                   {"type": "function", "name": "get_weather", "parameters": %s}],
         "tool_choice": {"type": "function", "name": "get_weather"}}
        """.formatted(schema));
    JsonNode call = r.at("/output/0");
    assertThat(call.get("type").asText()).isEqualTo("function_call");
    assertThat(call.get("name").asText()).isEqualTo("get_weather");
    assertThat(call.get("status").asText()).isEqualTo("completed");
    assertThat(call.get("call_id").asText()).startsWith("call_");
    JsonNode arguments = JSON.readTree(call.get("arguments").asText());
    assertThat(SchemaValueGenerator.validate(JSON.readTree(schema), arguments)).isEmpty();
    assertThat(r.at("/tools/0/type").asText()).isEqualTo("web_search");
    assertThat(r.at("/tool_choice/name").asText()).isEqualTo("get_weather");
  }

  @Test
  void jsonSchemaFormatGivesSchemaValidText() throws IOException {
    String schema = """
        {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"],
         "additionalProperties": false}
        """;
    JsonNode r = respond("""
        {"model": "gpt-4o", "input": "Count", "text": {"format": {"type": "json_schema",
          "name": "count", "strict": true, "schema": %s}}}
        """.formatted(schema));
    JsonNode value = JSON.readTree(r.at("/output/0/content/0/text").asText());
    assertThat(SchemaValueGenerator.validate(JSON.readTree(schema), value)).isEmpty();
    assertThat(r.at("/text/format/name").asText()).isEqualTo("count");
  }

  @Test
  void sameSeedSameResponse() throws IOException {
    SynthesisSettings lorem =
        new SynthesisSettings(
            ProfileCatalog.builtIn(), Generators.lorem(), "instant", Speed.NORMAL);
    OpenAiResponses responses = new OpenAiResponses(lorem);
    String body = "{\"model\": \"gpt-4o\", \"input\": \"Hi\"}";
    RequestOptions seeded = new RequestOptions(null, 9L, null);
    JsonNode a = JSON.readTree(responses.synthesize(JSON.readTree(body), seeded, NOW)
        .frames().next().bytes());
    JsonNode b = JSON.readTree(responses.synthesize(JSON.readTree(body), seeded, NOW)
        .frames().next().bytes());
    assertThat(a).isEqualTo(b);
  }

  @Test
  void refusesBadRequestsNamingTheField() {
    assertError("{\"model\": \"gpt-4o\"}", "input", "missing_required_parameter");
    assertError("{\"model\": \"gpt-4o\", \"input\": 3}", "input", "invalid_type");
    assertError("{\"model\": \"gpt-4o\", \"input\": [{\"role\": \"robot\", \"content\": \"x\"}]}",
        "input[0].role", "invalid_value");
    assertError("{\"model\": \"gpt-4o\", \"input\": [{\"role\": \"user\"}]}",
        "input[0].content", "missing_required_parameter");
    assertError("{\"model\": \"gpt-4o\", \"input\": [{\"type\": \"function_call_output\"}]}",
        "input[0].call_id", "missing_required_parameter");
    assertError("{\"model\": \"gpt-4o\", \"input\": \"x\", \"max_output_tokens\": 5}",
        "max_output_tokens", "integer_below_min_value");
    assertError("{\"model\": \"gpt-4o\", \"input\": \"x\", \"tools\": [{\"type\": \"function\"}]}",
        "tools[0].name", "missing_required_parameter");
    assertError("{\"model\": \"gpt-4o\", \"input\": \"x\", \"text\": {\"format\":"
        + " {\"type\": \"json_schema\", \"schema\": {}}}}", "text.format.name",
        "missing_required_parameter");
    assertError("{\"model\": \"gpt-4o\", \"input\": \"x\", \"tool_choice\": \"sometimes\"}",
        "tool_choice", "invalid_value");
    assertError("{\"model\": \"gpt-4o\", \"input\": \"x\", \"temperature\": 2.5}",
        "temperature", "decimal_above_max_value");
    assertError("{\"model\": \"gpt-4o\", \"input\": \"x\", \"background\": true}",
        "background", "unsupported_parameter");
  }

  private static void assertError(String body, String param, String code) {
    assertThatThrownBy(() -> respond(body))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.error().status()).isEqualTo(400);
          assertThat(e.error().param()).isEqualTo(param);
          assertThat(e.error().code()).isEqualTo(code);
        });
  }
}
