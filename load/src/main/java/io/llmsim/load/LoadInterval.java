package io.llmsim.load;

import java.util.Locale;

/**
 * What one reporting interval of a run saw, so a shaped run ({@link LoadPattern}) shows how the
 * target behaved as the load moved: the users active at the interval's end, the requests and
 * token events counted in it, its errors, and its time to first token (the end-to-end time when
 * not streaming).
 *
 * @param endSeconds the interval's end, in seconds since the measured time began
 * @param seconds the interval's length
 * @param users virtual users active at the interval's end
 * @param requests requests completed in the interval
 * @param tokenEvents token events that arrived in it
 * @param errors errors counted in it
 * @param firstByteP50Micros median time to first token (streaming) or end-to-end time, in µs
 * @param firstByteP99Micros the same at the 99th percentile
 */
public record LoadInterval(double endSeconds, double seconds, int users, long requests,
    long tokenEvents, long errors, long firstByteP50Micros, long firstByteP99Micros) {

  /** One line of text: time, users, rates, errors, percentiles in ms. */
  public String toText(boolean streaming) {
    return String.format(Locale.ROOT,
        "%7.1fs  users %5d  req/s %8.1f%s  errors %4d  %s p50 %8.2f p99 %8.2f ms",
        endSeconds, users, requests / seconds,
        streaming ? String.format(Locale.ROOT, "  tokens/s %9.1f", tokenEvents / seconds) : "",
        errors, streaming ? "ttft" : "e2e ", firstByteP50Micros / 1e3, firstByteP99Micros / 1e3);
  }

  /** The interval as a JSON object. */
  public String toJson() {
    return String.format(Locale.ROOT, "{\"end_s\":%.3f,\"users\":%d,\"requests\":%d,"
            + "\"token_events\":%d,\"errors\":%d,\"first_p50_us\":%d,\"first_p99_us\":%d}",
        endSeconds, users, requests, tokenEvents, errors, firstByteP50Micros,
        firstByteP99Micros);
  }
}
