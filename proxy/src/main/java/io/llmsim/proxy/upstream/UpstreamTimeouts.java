package io.llmsim.proxy.upstream;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a forwarded request may take, by phase. Reasoning models can think for minutes before
 * their first byte, so the defaults are generous; each upstream may set its own.
 *
 * @param connect to open the connection (and the TLS and proxy handshakes)
 * @param firstByte from sending the request to the response headers
 * @param idle between two body chunks
 * @param total the whole exchange
 */
public record UpstreamTimeouts(Duration connect, Duration firstByte, Duration idle,
    Duration total) {
  public static final UpstreamTimeouts DEFAULTS = new UpstreamTimeouts(Duration.ofSeconds(10),
      Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(30));

  public UpstreamTimeouts {
    for (Duration d : new Duration[] {connect, firstByte, idle, total}) {
      Objects.requireNonNull(d, "timeout");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("upstream timeouts must be positive, got " + d);
      }
    }
  }
}
