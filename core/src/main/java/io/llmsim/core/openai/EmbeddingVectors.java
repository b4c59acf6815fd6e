package io.llmsim.core.openai;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Deterministic stand-ins for embedding vectors: a unit-length vector per (model, input), the same
 * on every call, server and JVM. Components are Gaussian draws seeded by a SHA-256 of the model and
 * the input, so vectors of different inputs are nearly orthogonal, like real embeddings of
 * unrelated texts. A shorter {@code dimensions} gives the renormalized prefix of the full vector, as the
 * {@code text-embedding-3} models do.
 */
public final class EmbeddingVectors {
  private EmbeddingVectors() {}

  /** The vector length a model returns when {@code dimensions} is not given. */
  public static int nativeDimensions(String model) {
    return model.toLowerCase(Locale.ROOT).startsWith("text-embedding-3-large") ? 3072 : 1536;
  }

  /** Only the {@code text-embedding-3} models accept {@code dimensions}. */
  public static boolean supportsDimensions(String model) {
    return !model.toLowerCase(Locale.ROOT).startsWith("text-embedding-ada");
  }

  /**
   * The unit vector for {@code input} under {@code model}.
   *
   * @param input the text, or any stable key for a token-array input
   */
  public static float[] vector(String model, String input, int dimensions) {
    SplittableRandom random = new SplittableRandom(seed(model, input));
    double[] v = new double[dimensions];
    // Box-Muller by hand: its output is fixed by SplittableRandom's, unlike nextGaussian().
    for (int i = 0; i < dimensions; i += 2) {
      double u1 = 1.0 - random.nextDouble();
      double u2 = random.nextDouble();
      double r = Math.sqrt(-2 * Math.log(u1));
      v[i] = r * Math.cos(2 * Math.PI * u2);
      if (i + 1 < dimensions) {
        v[i + 1] = r * Math.sin(2 * Math.PI * u2);
      }
    }
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    float[] out = new float[dimensions];
    for (int i = 0; i < dimensions; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }

  /** The vector as OpenAI's {@code base64} encoding: little-endian float32, base64. */
  public static String base64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : vector) {
      bytes.putFloat(x);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  /** The first 8 bytes of SHA-256(model, NUL, input), big-endian. */
  static long seed(String model, String input) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(model.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(input.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(sha.digest()).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
