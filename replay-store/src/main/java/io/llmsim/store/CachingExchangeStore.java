package io.llmsim.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An {@link ExchangeStore} that keeps decoded {@link #takes} in a Caffeine cache bounded by their
 * total size in bytes, so replaying a hot request reads neither RocksDB nor the codec. Writes go
 * through to the store and drop the cached takes of the fingerprints they touch, so a recording
 * added while replay runs is served by the next request.
 *
 * <p>{@link #cachedTakes} never blocks: a caller on an event loop may answer from it and hand only
 * a miss to the store's thread. Every other call blocks like the store it wraps.
 */
public final class CachingExchangeStore implements ExchangeStore {
  /** The default bound: enough for tens of thousands of typical chat answers. */
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

  /** Counted per exchange besides its bodies: ids, headers, offsets, object overhead. */
  private static final int EXCHANGE_OVERHEAD_BYTES = 512;

  private final ExchangeStore delegate;
  private final Cache<String, List<RecordedExchange>> takes;

  /**
   * @param delegate the store; closed with this one
   * @param maxBytes the most bytes of decoded takes to keep
   */
  public CachingExchangeStore(ExchangeStore delegate, long maxBytes) {
    this.delegate = delegate;
    this.takes = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((String fingerprint, List<RecordedExchange> list) -> weight(list))
        // Evict on the calling thread: no hidden work on the common pool, a bound that holds.
        .executor(Runnable::run)
        .build();
  }

  /** The takes of {@code fingerprint} if they are cached, else null; never touches the store. */
  public List<RecordedExchange> cachedTakes(String fingerprint) {
    return takes.getIfPresent(fingerprint);
  }

  /** Loads through the cache; an empty answer is cached too, until a put under it. */
  @Override
  public List<RecordedExchange> takes(String fingerprint) {
    // Immutable: the cached list is shared by every thread that replays this request.
    return takes.get(fingerprint, key -> List.copyOf(delegate.takes(key)));
  }

  @Override
  public void put(RecordedExchange exchange) {
    // Re-putting an id under another fingerprint moves it: both lists change.
    delegate.get(exchange.id()).ifPresent(old -> takes.invalidate(old.fingerprint()));
    delegate.put(exchange);
    takes.invalidate(exchange.fingerprint());
  }

  @Override
  public boolean delete(String id) {
    Optional<RecordedExchange> old = delegate.get(id);
    boolean deleted = delegate.delete(id);
    old.ifPresent(o -> takes.invalidate(o.fingerprint()));
    return deleted;
  }

  /** Drops every cached list (after changes made to the store behind this decorator's back). */
  public void invalidateAll() {
    takes.invalidateAll();
  }

  @Override
  public Optional<RecordedExchange> get(String id) {
    return delegate.get(id);
  }

  @Override
  public void forEach(Consumer<? super RecordedExchange> visitor) {
    delegate.forEach(visitor);
  }

  @Override
  public long count() {
    return delegate.count();
  }

  @Override
  public void close() {
    takes.invalidateAll();
    delegate.close();
  }

  private static int weight(List<RecordedExchange> list) {
    long bytes = EXCHANGE_OVERHEAD_BYTES;
    for (RecordedExchange e : list) {
      bytes += EXCHANGE_OVERHEAD_BYTES + e.bodyLength() + e.request().bodyLength();
    }
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }
}
