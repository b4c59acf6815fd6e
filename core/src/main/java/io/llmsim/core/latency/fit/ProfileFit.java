package io.llmsim.core.latency.fit;

import io.llmsim.core.latency.LatencyProfile;

/**
 * A profile fitted to one group of exchanges, with the evidence: each part's fit and the prefill
 * regression.
 *
 * @param profile the fitted profile, parameters exactly as a profiles file holds them
 * @param exchanges how many exchanges it was fitted to
 * @param ttft the fit of the TTFT once the prefill term is taken out
 * @param prefill the Theil–Sen line of TTFT (ms) against prompt size (thousands of tokens)
 * @param itl the fit of the gaps between output events
 * @param tokensPerChunk the fit of the tokens carried per output event
 * @param outputTokens the fit of the answer lengths
 * @param outputTokensPerSecond the observed output speeds' p50, p90 and p99 (NaN when unknown)
 */
public record ProfileFit(
    LatencyProfile profile,
    int exchanges,
    DistributionFit ttft,
    TheilSen.Line prefill,
    DistributionFit itl,
    DistributionFit tokensPerChunk,
    DistributionFit outputTokens,
    double[] outputTokensPerSecond) {

  public ProfileFit {
    outputTokensPerSecond = outputTokensPerSecond.clone();
  }

  @Override
  public double[] outputTokensPerSecond() {
    return outputTokensPerSecond.clone();
  }
}
