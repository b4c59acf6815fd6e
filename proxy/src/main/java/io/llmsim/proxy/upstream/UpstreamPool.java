package io.llmsim.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Keep-alive connections to upstreams, kept per event loop: a connection is used only by the loop
 * it was made on, as the client connection it serves is, so the pool needs no locks.
 */
final class UpstreamPool {
  /** Idle connections kept per upstream and loop; more are closed. */
  private static final int MAX_IDLE = 64;
  /** Idle connections older than this are closed rather than reused (servers drop them). */
  private static final long MAX_IDLE_NANOS = 50_000_000_000L;

  private record Idle(Channel channel, long sinceNanos) {}

  private final FastThreadLocal<Map<String, ArrayDeque<Idle>>> idle = new FastThreadLocal<>() {
    @Override
    protected Map<String, ArrayDeque<Idle>> initialValue() {
      return new HashMap<>();
    }
  };

  /** A live idle connection to {@code key}, or null; call on the loop that made it. */
  Channel poll(String key, long nowNanos) {
    ArrayDeque<Idle> connections = idle.get().get(key);
    if (connections == null) {
      return null;
    }
    Idle candidate;
    while ((candidate = connections.pollLast()) != null) {
      if (candidate.channel.isActive() && nowNanos - candidate.sinceNanos < MAX_IDLE_NANOS) {
        return candidate.channel;
      }
      candidate.channel.close();
    }
    return null;
  }

  /** Keeps a connection whose last exchange finished cleanly, for the next one. */
  void release(String key, Channel channel, long nowNanos) {
    ArrayDeque<Idle> connections = idle.get().computeIfAbsent(key, k -> new ArrayDeque<>());
    if (connections.size() >= MAX_IDLE || !channel.isActive()) {
      channel.close();
      return;
    }
    connections.addLast(new Idle(channel, nowNanos));
  }
}
