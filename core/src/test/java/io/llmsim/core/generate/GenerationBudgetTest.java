package io.llmsim.core.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The total budget of one synthesized value: each reproduction of issue 17 item 6 stops fast. */
class GenerationBudgetTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaValueGenerator GENERATOR = SchemaValueGenerator.of();
  /**
   * CPU time, generous: before the budget these took minutes or never ended. Wall time on a
   * 2-core machine at load 40 was ten times the CPU time, so it would measure the neighbours.
   */
  private static final long SLACK_MILLIS = 10_000;

  private static long cpuMillis() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1_000_000;
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  private static BudgetExceededException overBudget(String schema) throws Exception {
    JsonNode parsed = json(schema);
    long start = cpuMillis();
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
        () -> GENERATOR.generate(parsed, new SplittableRandom(1), GenerationBudget.forRequest()));
    long millis = cpuMillis() - start;
    assertThat(thrown).isInstanceOf(BudgetExceededException.class);
    assertThat(millis).as("stopped within the slack").isLessThan(SLACK_MILLIS);
    BudgetExceededException e = (BudgetExceededException) thrown;
    assertThat(e.retryOffLoop()).as("the full budget is final").isFalse();
    assertThat(e.getMessage()).contains(String.format(java.util.Locale.ROOT, "%,d",
        e.limit().max()));
    return e;
  }

  @Test
  void anArrayOfHugeArraysRunsOutOfValues() throws Exception {
    String inner = "{\"type\":\"array\",\"minItems\":100000,\"items\":{\"type\":\"integer\"}}";
    BudgetExceededException e = overBudget(
        "{\"type\":\"array\",\"minItems\":100000,\"items\":" + inner + "}");
    // The value limit, or on a slow machine the CPU-time backstop first.
    assertThat(e.limit()).isIn(GenerationBudget.Limit.NODES, GenerationBudget.Limit.TIME);
  }

  @Test
  void threeLevelsOfHugeArraysRunOutOfValues() throws Exception {
    String level = "{\"type\":\"integer\"}";
    for (int i = 0; i < 3; i++) {
      level = "{\"type\":\"array\",\"minItems\":100000,\"maxItems\":100000,\"items\":" + level + "}";
    }
    assertThat(overBudget(level).limit())
        .isIn(GenerationBudget.Limit.NODES, GenerationBudget.Limit.TIME);
  }

  @Test
  void thousandsOfLongRequiredStringsRunOutOfBytes() throws Exception {
    StringBuilder props = new StringBuilder();
    StringBuilder required = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      props.append(i == 0 ? "" : ",").append("\"p").append(i)
          .append("\":{\"type\":\"string\",\"minLength\":100000}");
      required.append(i == 0 ? "" : ",").append("\"p").append(i).append('"');
    }
    BudgetExceededException e = overBudget("{\"type\":\"object\",\"properties\":{" + props
        + "},\"required\":[" + required + "]}");
    assertThat(e.limit()).isEqualTo(GenerationBudget.Limit.BYTES);
  }

  @Test
  void aPatternRepeatedTenThousandSquaredTimesRunsOutOfBytesNotStack() throws Exception {
    BudgetExceededException e =
        overBudget("{\"type\":\"string\",\"pattern\":\"^((a|b){9999}){9999}$\"}");
    assertThat(e.limit()).isEqualTo(GenerationBudget.Limit.BYTES);
  }

  @Test
  void aPatternNestedDeeperThanTheLimitIsRefusedBeforeCompiling() throws Exception {
    String deep = "(".repeat(5000) + "a" + ")".repeat(5000);
    BudgetExceededException e =
        overBudget("{\"type\":\"string\",\"pattern\":\"" + deep + "\"}");
    assertThat(e.limit()).isEqualTo(GenerationBudget.Limit.DEPTH);
  }

  @Test
  void catastrophicBacktrackingInTheValidatorRunsOutOfWork() throws Exception {
    JsonNode schema = json("{\"type\":\"string\",\"pattern\":\"^(a+)+$\"}");
    // Java's matcher needs seconds for this, unbounded in the length.
    JsonNode value = JSON.getNodeFactory().textNode("a".repeat(20_000) + "!");
    long start = cpuMillis();
    assertThatThrownBy(() -> SchemaValueGenerator.validate(schema, value))
        .isInstanceOfSatisfying(BudgetExceededException.class,
            e -> assertThat(e.limit()).isIn(GenerationBudget.Limit.STEPS,
                GenerationBudget.Limit.TIME));
    assertThat(cpuMillis() - start).isLessThan(SLACK_MILLIS);
  }

  @Test
  void aMatcherThatWouldOverflowTheStackIsTooDeep() throws Exception {
    JsonNode schema = json("{\"type\":\"string\",\"pattern\":\"^(a|aa)+$\"}");
    JsonNode value = JSON.getNodeFactory().textNode("a".repeat(20_000));
    assertThatThrownBy(() -> SchemaValueGenerator.validate(schema, value))
        .isInstanceOfSatisfying(BudgetExceededException.class,
            e -> assertThat(e.limit()).isEqualTo(GenerationBudget.Limit.DEPTH));
  }

  @Test
  void onTheLoopABigButAllowedValueAsksToBeComputedElsewhereAndThenSucceeds() throws Exception {
    JsonNode schema = json(
        "{\"type\":\"array\",\"minItems\":20000,\"maxItems\":20000,\"items\":{\"type\":\"integer\"}}");
    assertThatThrownBy(() -> GenerationBudget.onLoop(
        () -> GENERATOR.generate(schema, new SplittableRandom(3), GenerationBudget.forRequest())))
        .isInstanceOfSatisfying(BudgetExceededException.class,
            e -> assertThat(e.retryOffLoop()).isTrue());

    long start = System.nanoTime();
    JsonNode value = GENERATOR.generate(schema, new SplittableRandom(3),
        GenerationBudget.forRequest());
    System.out.printf("20,000 integers off the loop: %.1f ms%n", (System.nanoTime() - start) / 1e6);
    assertThat(value.size()).isEqualTo(20000);
    assertThat(SchemaValueGenerator.validate(schema, value)).isEmpty();
  }

  @Test
  void parenthesesInsideClassesDoNotCountAsNesting() {
    assertThat(GenerationBudget.groupDepth("[(]".repeat(100) + "(a[)]b)")).isEqualTo(2);
    assertThat(GenerationBudget.groupDepth("\\(".repeat(100))).isZero();
    assertThat(GenerationBudget.groupDepth("((a)(b))")).isEqualTo(2);
  }

  @Test
  void aTooDeepPatternIsFinalEvenOnTheLoop() throws Exception {
    JsonNode schema = json("{\"type\":\"string\",\"pattern\":\"" + "(".repeat(100) + "a"
        + ")".repeat(100) + "\"}");
    assertThatThrownBy(() -> GenerationBudget.onLoop(
        () -> GENERATOR.generate(schema, new SplittableRandom(3), GenerationBudget.forRequest())))
        .isInstanceOfSatisfying(BudgetExceededException.class,
            e -> assertThat(e.retryOffLoop()).isFalse());
  }

  @Test
  void ordinarySchemasFitTheLoopsBudget() throws Exception {
    JsonNode schema = json("{\"type\":\"object\",\"properties\":{"
        + "\"city\":{\"type\":\"string\"},\"zip\":{\"type\":\"string\",\"pattern\":\"^\\\\d{5}$\"},"
        + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"maxItems\":20}},"
        + "\"required\":[\"city\",\"zip\",\"tags\"],\"additionalProperties\":false}");
    for (int seed = 0; seed < 200; seed++) {
      int s = seed;
      JsonNode value = GenerationBudget.onLoop(() ->
          GENERATOR.generate(schema, new SplittableRandom(s), GenerationBudget.forRequest()));
      assertThat(SchemaValueGenerator.validate(schema, value)).isEmpty();
    }
  }

  @Test
  void worstAllowedValuesStayWellInsideTheTimeLimit() throws Exception {
    // Just under the value limit: what the largest allowed answer costs off the loop.
    JsonNode ints = json("{\"type\":\"array\",\"minItems\":100000,\"maxItems\":100000,"
        + "\"items\":{\"type\":\"integer\"}}");
    JsonNode strings = json("{\"type\":\"array\",\"minItems\":9,\"maxItems\":9,"
        + "\"items\":{\"type\":\"string\",\"minLength\":100000,\"maxLength\":100000}}");
    for (JsonNode schema : new JsonNode[] {ints, strings}) {
      long best = Long.MAX_VALUE;
      for (int i = 0; i < 3; i++) {
        long start = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        GENERATOR.generate(schema, new SplittableRandom(i), GenerationBudget.forRequest());
        best = Math.min(best, ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - start);
      }
      System.out.printf("largest allowed %s: best of 3 %.1f ms of CPU%n",
          schema.path("items").path("type").asText(), best / 1e6);
      assertThat(best).isLessThan(GenerationBudget.MAX_NANOS);
    }
  }
}
