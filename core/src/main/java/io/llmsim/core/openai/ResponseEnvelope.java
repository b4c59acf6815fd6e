package io.llmsim.core.openai;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The identity of one Response: its id, creation and completion times, the model it reports, and
 * the ids of its output items (one {@code msg_} item for a text answer, one {@code fc_} item per
 * function call). Every event of a stream and the final object repeat these.
 */
public record ResponseEnvelope(
    String id, long createdAt, long completedAt, String model, List<String> itemIds) {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  public ResponseEnvelope {
    itemIds = List.copyOf(itemIds);
  }

  /** An id as the Responses API writes them: a prefix and 48 hex digits. */
  static String id(String prefix, RandomGenerator random) {
    char[] id = new char[prefix.length() + 48];
    prefix.getChars(0, prefix.length(), id, 0);
    for (int i = prefix.length(); i < id.length; i++) {
      id[i] = HEX[random.nextInt(16)];
    }
    return new String(id);
  }
}
