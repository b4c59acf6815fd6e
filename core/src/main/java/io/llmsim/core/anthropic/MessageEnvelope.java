package io.llmsim.core.anthropic;

import java.util.List;

/**
 * What every rendering of one Anthropic answer shares, streamed or not: the message id, the model
 * it reports, the {@code toolu_} id of each tool call, and the signature of the thinking block.
 */
public record MessageEnvelope(String id, String model, List<String> toolUseIds,
    String signature) {
  public MessageEnvelope {
    toolUseIds = List.copyOf(toolUseIds);
  }
}
