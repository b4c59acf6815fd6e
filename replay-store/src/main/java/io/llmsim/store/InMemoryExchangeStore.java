package io.llmsim.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * An {@link ExchangeStore} in a map, for tests and for runs that need no persistence. It keeps the
 * encoded form, like the RocksDB store, so a test against it also exercises the codec.
 */
public final class InMemoryExchangeStore implements ExchangeStore {
  private record Entry(long seq, String fingerprint, byte[] encoded) {}

  // Sorted by id to iterate in the same order as the RocksDB store.
  private final Map<String, Entry> byId = new TreeMap<>();
  private final Map<String, TreeMap<Long, String>> byFingerprint = new HashMap<>();
  private long nextSeq;
  private boolean closed;

  @Override
  public synchronized void put(RecordedExchange e) {
    open();
    Entry old = byId.get(e.id());
    long seq = old != null ? old.seq() : nextSeq++;
    if (old != null) {
      unindex(old.fingerprint(), old.seq());
    }
    byId.put(e.id(), new Entry(seq, e.fingerprint(), ExchangeCodec.encode(e)));
    byFingerprint.computeIfAbsent(e.fingerprint(), k -> new TreeMap<>()).put(seq, e.id());
  }

  @Override
  public synchronized Optional<RecordedExchange> get(String id) {
    open();
    Entry en = byId.get(id);
    return en == null ? Optional.empty() : Optional.of(ExchangeCodec.decode(en.encoded()));
  }

  @Override
  public synchronized List<RecordedExchange> takes(String fingerprint) {
    open();
    List<RecordedExchange> out = new ArrayList<>();
    TreeMap<Long, String> ids = byFingerprint.get(fingerprint);
    if (ids != null) {
      ids.values().forEach(id -> out.add(ExchangeCodec.decode(byId.get(id).encoded())));
    }
    return out;
  }

  @Override
  public void forEach(Consumer<? super RecordedExchange> visitor) {
    List<byte[]> snapshot;
    synchronized (this) {
      open();
      snapshot = new ArrayList<>(byId.size());
      byId.values().forEach(en -> snapshot.add(en.encoded()));
    }
    // The visitor runs outside the lock so it may call back into the store.
    snapshot.forEach(b -> visitor.accept(ExchangeCodec.decode(b)));
  }

  @Override
  public synchronized boolean delete(String id) {
    open();
    Entry old = byId.remove(id);
    if (old == null) {
      return false;
    }
    unindex(old.fingerprint(), old.seq());
    return true;
  }

  @Override
  public synchronized long count() {
    open();
    return byId.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
    byId.clear();
    byFingerprint.clear();
  }

  private void unindex(String fingerprint, long seq) {
    TreeMap<Long, String> ids = byFingerprint.get(fingerprint);
    if (ids != null) {
      ids.remove(seq);
      if (ids.isEmpty()) {
        byFingerprint.remove(fingerprint);
      }
    }
  }

  private void open() {
    if (closed) {
      throw new StoreException("in-memory exchange store is closed");
    }
  }
}
