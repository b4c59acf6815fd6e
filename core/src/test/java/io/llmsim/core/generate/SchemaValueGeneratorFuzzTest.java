package io.llmsim.core.generate;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.api.FuzzBodies;
import io.llmsim.core.api.InvalidJsonException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Fuzzes the JSON-schema value generator with schemas (the bytes of a structured-output or tool
 * schema): each generation must finish within {@link GenerationBudget}, and validating its value
 * must not throw. Saved inputs: {@code SchemaValueGeneratorFuzzTestInputs/<method>/}; see
 * docs/reliability.md.
 */
class SchemaValueGeneratorFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void schema(byte[] input) {
    generate(input);
  }

  /**
   * Issue 17 item 6: schemas of one small request that exhaust memory or time (an array of
   * 100,000 arrays of 100,000 integers, three levels of it, 5,000 required properties with
   * {@code minLength: 100000}, the pattern {@code ((a|b){9999}){9999}}).
   */
  @FuzzTest(maxDuration = "5m")
  void budgetReproductions(byte[] input) {
    generate(input);
  }

  private static void generate(byte[] input) {
    JsonNode schema;
    try {
      schema = FuzzBodies.json(input);
    } catch (InvalidJsonException notJson) {
      return; // the endpoint refuses it before any schema is read
    }
    long seed = Arrays.hashCode(input);
    GenerationDeadline.finishesInTime(() -> {
      JsonNode value = SchemaValueGenerator.of().generate(schema, new SplittableRandom(seed));
      SchemaValueGenerator.validate(schema, value);
      return value;
    });
  }
}
