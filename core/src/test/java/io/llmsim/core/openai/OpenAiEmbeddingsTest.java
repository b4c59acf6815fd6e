package io.llmsim.core.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.generate.BudgetExceededException;
import io.llmsim.core.generate.GenerationBudget;
import io.llmsim.core.generate.Generators;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.RequestOptions;
import io.llmsim.core.synth.SynthesisSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/embeddings}: determinism, unit length, dimensions, base64, usage, errors. */
class OpenAiEmbeddingsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OpenAiEmbeddings EMBEDDINGS = new OpenAiEmbeddings(
      new SynthesisSettings(ProfileCatalog.builtIn(), Generators.lorem(), "instant", Speed.NORMAL));

  /** The first component of text-embedding-3-small's vector for "Oslo". */
  private static final float PINNED_OSLO_0 = -0.002404708f;

  private static JsonNode embed(String body) throws IOException {
    ResponsePlan plan = EMBEDDINGS.create(JSON.readTree(body), RequestOptions.NONE);
    assertThat(plan.status()).isEqualTo(200);
    assertThat(plan.streaming()).isFalse();
    return JSON.readTree(plan.frames().next().bytes());
  }

  private static float[] floats(JsonNode embedding) {
    float[] v = new float[embedding.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = embedding.get(i).floatValue();
    }
    return v;
  }

  private static float[] decode(String base64) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64))
        .order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[bytes.remaining() / 4];
    for (int i = 0; i < v.length; i++) {
      v[i] = bytes.getFloat();
    }
    return v;
  }

  private static double norm(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    return Math.sqrt(sum);
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  @Test
  void sameTextSameUnitVectorDifferentTextNearlyOrthogonal() throws IOException {
    JsonNode a = embed("""
        {"model": "text-embedding-3-small", "input": ["The quick brown fox", "Oslo", \
        "The quick brown fox"]}
        """);
    assertThat(a.get("object").asText()).isEqualTo("list");
    assertThat(a.get("model").asText()).isEqualTo("text-embedding-3-small");
    JsonNode data = a.get("data");
    assertThat(data).hasSize(3);
    float[] fox = floats(data.get(0).get("embedding"));
    float[] oslo = floats(data.get(1).get("embedding"));
    assertThat(fox).hasSize(1536);
    assertThat(norm(fox)).isCloseTo(1.0, within(1e-5));
    assertThat(norm(oslo)).isCloseTo(1.0, within(1e-5));
    assertThat(floats(data.get(2).get("embedding"))).containsExactly(fox);
    assertThat(Math.abs(dot(fox, oslo))).isLessThan(0.15);
    assertThat(data.get(1).get("index").asInt()).isEqualTo(1);
    assertThat(data.get(1).get("object").asText()).isEqualTo("embedding");

    // Another call, and the same text alone, give the same vector; another model another one.
    JsonNode again = embed("{\"model\": \"text-embedding-3-small\", \"input\": \"Oslo\"}");
    assertThat(floats(again.at("/data/0/embedding"))).containsExactly(oslo);
    JsonNode ada = embed("{\"model\": \"text-embedding-ada-002\", \"input\": \"Oslo\"}");
    assertThat(floats(ada.at("/data/0/embedding"))).hasSize(1536).isNotEqualTo(oslo);
    // The seed is fixed by SHA-256 of model and text: pinned, so vectors stay stable across
    // JVMs and releases (a changed value breaks every stored test fixture).
    assertThat(oslo[0]).isEqualTo(PINNED_OSLO_0);
  }

  @Test
  void usageCountsCl100kTokens() throws IOException {
    JsonNode body = embed("""
        {"model": "text-embedding-3-small", "input": ["hello world", "Oslo is in Norway."]}
        """);
    // cl100k: "hello world" = 2 tokens, "Oslo is in Norway." = 6 tokens.
    assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(8);
    assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(8);
    JsonNode tokens = embed("""
        {"model": "text-embedding-3-small", "input": [[15339, 1917], [1, 2, 3]]}
        """);
    assertThat(tokens.at("/usage/prompt_tokens").asInt()).isEqualTo(5);
    assertThat(tokens.get("data")).hasSize(2);
  }

  @Test
  void base64IsLittleEndianFloat32OfTheSameVector() throws IOException {
    JsonNode floats = embed("{\"model\": \"text-embedding-3-large\", \"input\": \"Oslo\"}");
    JsonNode base64 = embed("""
        {"model": "text-embedding-3-large", "input": "Oslo", "encoding_format": "base64"}
        """);
    float[] expected = floats(floats.at("/data/0/embedding"));
    assertThat(expected).hasSize(3072);
    assertThat(base64.at("/data/0/embedding").isTextual()).isTrue();
    assertThat(decode(base64.at("/data/0/embedding").asText())).containsExactly(expected);
  }

  @Test
  void dimensionsGiveTheRenormalizedPrefix() throws IOException {
    float[] full = floats(embed("{\"model\": \"text-embedding-3-large\", \"input\": \"x\"}")
        .at("/data/0/embedding"));
    float[] cut = floats(embed("""
        {"model": "text-embedding-3-large", "input": "x", "dimensions": 256}
        """).at("/data/0/embedding"));
    assertThat(cut).hasSize(256);
    assertThat(norm(cut)).isCloseTo(1.0, within(1e-5));
    float[] prefix = new float[256];
    System.arraycopy(full, 0, prefix, 0, 256);
    // Same direction as the full vector's first 256 components.
    assertThat(dot(cut, prefix) / norm(prefix)).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void validationErrorsNameTheField() {
    assertError("{\"model\": \"text-embedding-3-small\"}", "input", "missing_required_parameter");
    assertError("{\"model\": \"text-embedding-3-small\", \"input\": \"\"}", "input",
        "string_below_min_length");
    assertError("{\"model\": \"text-embedding-3-small\", \"input\": []}", "input", "empty_array");
    assertError("{\"model\": \"text-embedding-3-small\", \"input\": [\"a\", \"\"]}", "input[1]",
        "string_below_min_length");
    assertError("{\"model\": \"text-embedding-3-small\", \"input\": [\"a\", 3]}", "input[1]",
        "invalid_type");
    assertError("{\"model\": \"text-embedding-3-small\", \"input\": [[1], [-2]]}", "input[1][0]",
        "invalid_type");
    assertError("{\"model\": \"text-embedding-3-small\", \"input\": {}}", "input",
        "invalid_type");
    assertError("{\"model\": \"text-embedding-3-small\", \"input\": \"a\","
        + " \"encoding_format\": \"int8\"}", "encoding_format", "invalid_value");
    assertError("{\"model\": \"text-embedding-3-small\", \"input\": \"a\", \"dimensions\": 0}",
        "dimensions", "integer_below_min_value");
    assertError("{\"model\": \"text-embedding-3-small\", \"input\": \"a\","
        + " \"dimensions\": 2000}", "dimensions", "integer_above_max_value");
    assertError("{\"model\": \"text-embedding-ada-002\", \"input\": \"a\", \"dimensions\": 8}",
        "dimensions", "unsupported_parameter");
    assertError("{\"model\": \"text-embedding-3-small\", \"input\": \""
        + "word ".repeat(8193) + "\"}", "input", "context_length_exceeded");
  }

  private static void assertError(String body, String param, String code) {
    assertThatThrownBy(() -> embed(body))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.error().status()).isEqualTo(400);
          assertThat(e.error().param()).isEqualTo(param);
          assertThat(e.error().code()).isEqualTo(code);
        });
  }

  /** Issue 17 item 6: a large batch is made off the event loop, a small one on it. */
  @Test
  void aLargeBatchAsksToBeMadeOffTheEventLoop() throws IOException {
    String inputs = String.join(",", Collections.nCopies(512, "\"a b c\""));
    JsonNode large = JSON.readTree("{\"model\":\"text-embedding-3-large\",\"input\":["
        + inputs + "]}");
    assertThatThrownBy(() -> GenerationBudget.onLoop(
        () -> EMBEDDINGS.create(large, RequestOptions.NONE)))
        .isInstanceOfSatisfying(BudgetExceededException.class,
            e -> assertThat(e.retryOffLoop()).isTrue());
    assertThat(EMBEDDINGS.create(large, RequestOptions.NONE).status()).isEqualTo(200);

    JsonNode small = JSON.readTree("{\"model\":\"text-embedding-3-large\",\"input\":\"a\"}");
    assertThat(GenerationBudget.onLoop(() -> EMBEDDINGS.create(small, RequestOptions.NONE))
        .status()).isEqualTo(200);
  }
}
