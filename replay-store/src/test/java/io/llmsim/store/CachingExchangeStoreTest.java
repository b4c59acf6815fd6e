package io.llmsim.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The decorator keeps every store promise (the contract) and serves hot takes from memory. */
class CachingExchangeStoreTest extends ExchangeStoreContract {
  @Override
  protected ExchangeStore newStore() {
    return new CachingExchangeStore(new InMemoryExchangeStore(), 1024 * 1024);
  }

  /** An in-memory store that counts how often takes reach it. */
  private static final class CountingStore extends ForwardingStore {
    final AtomicInteger takesCalls = new AtomicInteger();

    CountingStore() {
      super(new InMemoryExchangeStore());
    }

    @Override
    public List<RecordedExchange> takes(String fingerprint) {
      takesCalls.incrementAndGet();
      return super.takes(fingerprint);
    }
  }

  @Test
  void repeatedLookupsAreServedFromTheCache() {
    CountingStore backing = new CountingStore();
    try (CachingExchangeStore store = new CachingExchangeStore(backing, 1024 * 1024)) {
      store.put(Samples.exchange("a1", "fp"));
      assertThat(store.cachedTakes("fp")).isNull();

      assertThat(store.takes("fp")).extracting(RecordedExchange::id).containsExactly("a1");
      assertThat(store.takes("fp")).extracting(RecordedExchange::id).containsExactly("a1");
      assertThat(store.cachedTakes("fp")).extracting(RecordedExchange::id).containsExactly("a1");
      assertThat(backing.takesCalls).hasValue(1);
    }
  }

  @Test
  void aPutMakesTheNewTakeVisibleEvenAfterAnEmptyAnswerWasCached() {
    try (CachingExchangeStore store =
        new CachingExchangeStore(new InMemoryExchangeStore(), 1024 * 1024)) {
      assertThat(store.takes("fp")).isEmpty();
      assertThat(store.cachedTakes("fp")).isEmpty();

      store.put(Samples.exchange("a1", "fp"));
      assertThat(store.cachedTakes("fp")).isNull();
      store.put(Samples.exchange("a2", "fp"));
      assertThat(store.takes("fp")).extracting(RecordedExchange::id).containsExactly("a1", "a2");
    }
  }

  @Test
  void movingAnIdToAnotherFingerprintDropsBothLists() {
    try (CachingExchangeStore store =
        new CachingExchangeStore(new InMemoryExchangeStore(), 1024 * 1024)) {
      store.put(Samples.exchange("a1", "old"));
      assertThat(store.takes("old")).hasSize(1);
      store.put(Samples.exchange("a1", "new"));
      assertThat(store.takes("old")).isEmpty();
      assertThat(store.takes("new")).hasSize(1);

      store.delete("a1");
      assertThat(store.takes("new")).isEmpty();
    }
  }

  @Test
  void theCacheIsBoundedByBytes() {
    CountingStore backing = new CountingStore();
    // Room for about two lists of one sample exchange each.
    try (CachingExchangeStore store = new CachingExchangeStore(backing, 2 * 1024)) {
      for (int i = 0; i < 20; i++) {
        store.put(Samples.exchange("id" + i, "fp" + i));
        store.takes("fp" + i);
      }
      long cached = 0;
      for (int i = 0; i < 20; i++) {
        if (store.cachedTakes("fp" + i) != null) {
          cached++;
        }
      }
      assertThat(cached).isBetween(1L, 3L);
    }
  }
}
