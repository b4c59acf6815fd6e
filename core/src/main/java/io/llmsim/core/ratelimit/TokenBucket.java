package io.llmsim.core.ratelimit;

/**
 * A bucket that holds up to {@code capacity} units and refills continuously, the whole capacity
 * per minute, as the providers' per-minute limits behave. Not thread-safe: {@link KeyBuckets}
 * guards its pair of buckets with one lock, so both are taken together or neither is.
 */
final class TokenBucket {
  static final long MINUTE_NANOS = 60_000_000_000L;

  private final long capacity;
  /** Units in the bucket; negative after a settlement took more than was reserved. */
  private double level;
  private long updatedNanos;

  TokenBucket(long capacity, long nowNanos) {
    this.capacity = capacity;
    this.level = capacity;
    this.updatedNanos = nowNanos;
  }

  long capacity() {
    return capacity;
  }

  /** Brings the level up to {@code nowNanos}. */
  void refill(long nowNanos) {
    long elapsed = nowNanos - updatedNanos;
    if (elapsed > 0) {
      level = Math.min(capacity, level + (double) elapsed * capacity / MINUTE_NANOS);
      updatedNanos = nowNanos;
    }
  }

  /** Whether the bucket is full at {@code nowNanos} (refilling it up to then). */
  boolean fullAt(long nowNanos) {
    refill(nowNanos);
    return level >= capacity;
  }

  /**
   * Nanoseconds until {@code amount} fits (0 when it fits now). An amount larger than the whole
   * bucket is asked as the whole bucket: it waits for a full bucket and empties it.
   */
  long nanosUntilFits(long amount) {
    double needed = Math.min(amount, capacity) - level;
    return needed <= 0 ? 0 : (long) Math.ceil(needed * MINUTE_NANOS / capacity);
  }

  void take(long amount) {
    level -= Math.min(amount, capacity);
  }

  /** Gives back {@code amount} (negative takes more), never above the capacity. */
  void settle(long amount) {
    level = Math.min(capacity, level + amount);
  }

  long remaining() {
    return Math.max(0, (long) Math.floor(level));
  }

  /** Nanoseconds until the bucket is full again. */
  long untilFull() {
    double missing = capacity - level;
    return missing <= 0 ? 0 : (long) Math.ceil(missing * MINUTE_NANOS / capacity);
  }
}
