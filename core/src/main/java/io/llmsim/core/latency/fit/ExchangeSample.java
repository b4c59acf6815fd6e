package io.llmsim.core.latency.fit;

/**
 * What one recorded streaming exchange says about its model's timing.
 *
 * @param ttftMs request sent → first event carrying output (text, thinking or tool arguments)
 * @param promptTokens the prompt's size in tokens (as reported, else counted)
 * @param gapsMs the gaps between successive output-carrying events
 * @param tokensPerChunk tokens carried by each output event
 * @param outputTokens the answer's length in tokens (as reported, else counted)
 * @param outputTokensPerSecond output speed after the first event; NaN with a single event
 */
public record ExchangeSample(
    double ttftMs,
    double promptTokens,
    double[] gapsMs,
    double[] tokensPerChunk,
    double outputTokens,
    double outputTokensPerSecond) {

  public ExchangeSample {
    gapsMs = gapsMs.clone();
    tokensPerChunk = tokensPerChunk.clone();
  }

  @Override
  public double[] gapsMs() {
    return gapsMs.clone();
  }

  @Override
  public double[] tokensPerChunk() {
    return tokensPerChunk.clone();
  }
}
