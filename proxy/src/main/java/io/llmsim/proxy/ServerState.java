package io.llmsim.proxy;

import java.util.concurrent.atomic.AtomicInteger;

/** What the server knows across connections: in-flight answers and whether it is stopping. */
final class ServerState {
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean shuttingDown;

  void requestStarted() {
    inFlight.incrementAndGet();
  }

  void requestFinished() {
    inFlight.decrementAndGet();
  }

  int inFlight() {
    return inFlight.get();
  }

  boolean isShuttingDown() {
    return shuttingDown;
  }

  void beginShutdown() {
    shuttingDown = true;
  }
}
