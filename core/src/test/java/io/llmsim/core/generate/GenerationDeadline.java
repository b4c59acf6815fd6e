package io.llmsim.core.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.api.FuzzBodies;
import io.llmsim.core.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * What the generator fuzz targets assert: a generation returns a value, or refuses with the
 * project's typed 400 (a bad schema or pattern) or a {@link BudgetExceededException} (over the
 * request's {@link GenerationBudget}), and takes less than {@link #LIMIT}. A
 * {@code StackOverflowError} or {@code OutOfMemoryError} escapes and is a finding as well.
 */
final class GenerationDeadline {
  /** Far above any reasonable generation; a generous bound, so a loaded machine never fails it. */
  static final Duration LIMIT = Duration.ofSeconds(10);

  static {
    // The first generation loads (and, when fuzzing, instruments) the generators' classes: seconds
    // on a busy machine that are no input's doing.
    String schema = """
        {"type": "object", "required": ["a"], "properties": {"a": {"type": "array",
          "items": {"type": "string", "pattern": "^[a-z]{2}\\\\d$"}}}}""";
    assertThat(SchemaValueGenerator.of().generate(
        FuzzBodies.json(schema.getBytes(StandardCharsets.UTF_8)), new SplittableRandom(0)))
        .isNotNull();
    assertThat(Duration.ZERO).isLessThan(LIMIT);
  }

  private GenerationDeadline() {}

  static void finishesInTime(Supplier<?> generation) {
    long start = System.nanoTime();
    try {
      assertThat(generation.get()).isNotNull();
    } catch (ApiException refused) {
      assertThat(refused.error().status()).isEqualTo(400);
    } catch (BudgetExceededException overBudget) {
      assertThat(overBudget.limit()).isNotNull();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LIMIT);
  }
}
