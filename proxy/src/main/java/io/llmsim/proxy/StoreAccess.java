package io.llmsim.proxy;

import io.llmsim.store.CachingExchangeStore;
import io.llmsim.store.ExchangeStore;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RocksDbExchangeStore;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The exchange store and the one thread that touches it: store calls block on disk, so they never
 * run on an event loop. The server opens it at start-up ({@link #openNow}), so a store that
 * cannot be opened, or that another process holds, fails the start rather than every request.
 *
 * <p>The opened store is wrapped in a {@link CachingExchangeStore}: writes through {@link #submit}
 * keep its cache current, and {@link #cachedTakes} lets a caller on an event loop answer a hot
 * lookup without a hop to the store's thread.
 */
public final class StoreAccess implements AutoCloseable {
  private final Supplier<ExchangeStore> opener;
  private final String description;
  /**
   * Store calls waiting for the thread, at most. Beyond it a call fails at once (a recording is
   * dropped and logged) rather than growing memory without bound when the disk cannot keep up.
   */
  static final int MAX_PENDING = 10_000;

  private final ExecutorService executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(MAX_PENDING), new DefaultThreadFactory("llmsim-store", true));
  private ExchangeStore store;
  /** The opened store, published for {@link #cachedTakes} from any thread. */
  private volatile CachingExchangeStore cache;
  private RuntimeException openFailure;
  private boolean closed;

  public StoreAccess(Supplier<ExchangeStore> opener, String description) {
    this.opener = opener;
    this.description = description;
  }

  /** A RocksDB store in {@code dir}. */
  public static StoreAccess rocksDb(Path dir) {
    return new StoreAccess(() -> RocksDbExchangeStore.open(dir), dir.toString());
  }

  /** A store that exists already (in-memory, or opened by the caller); closed with this. */
  public static StoreAccess of(ExchangeStore store) {
    return new StoreAccess(() -> store, store.getClass().getSimpleName());
  }

  /**
   * Runs {@code work} on the store's thread; the future fails when the store cannot open, or
   * (with a {@link RejectedExecutionException}) when {@link #MAX_PENDING} calls are already waiting.
   */
  public <T> CompletableFuture<T> submit(Function<ExchangeStore, T> work) {
    try {
      return CompletableFuture.supplyAsync(() -> work.apply(open()), executor);
    } catch (RejectedExecutionException busy) {
      return CompletableFuture.failedFuture(busy);
    }
  }

  /**
   * Opens the store now and waits for it, so a bad directory, or a store another process holds,
   * fails the start instead of every request after it.
   *
   * @throws RuntimeException the opener's own failure (such as a {@code StoreException})
   */
  public ExchangeStore openNow() {
    try {
      return CompletableFuture.supplyAsync(this::open, executor).join();
    } catch (CompletionException e) {
      // The opening thread's failure, unwrapped: its message is the one worth showing.
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  /**
   * The takes of {@code fingerprint} when they are cached, else null (also before the store is
   * open). Never blocks.
   */
  public List<RecordedExchange> cachedTakes(String fingerprint) {
    CachingExchangeStore opened = cache;
    return opened == null ? null : opened.cachedTakes(fingerprint);
  }

  /** Where the store lives, for messages. */
  public String description() {
    return description;
  }

  private ExchangeStore open() {
    if (closed) {
      throw new IllegalStateException("the store is closed");
    }
    if (store == null && openFailure == null) {
      try {
        CachingExchangeStore caching =
            new CachingExchangeStore(opener.get(), CachingExchangeStore.DEFAULT_MAX_BYTES);
        store = caching;
        cache = caching;
      } catch (RuntimeException e) {
        openFailure = e;
      }
    }
    if (openFailure != null) {
      throw openFailure;
    }
    return store;
  }

  /** Finishes queued writes, then closes the store. */
  @Override
  public void close() {
    executor.execute(() -> {
      closed = true;
      cache = null;
      if (store != null) {
        store.close();
      }
    });
    executor.shutdown();
    try {
      executor.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
