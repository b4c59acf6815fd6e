package io.llmsim.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where recorded exchanges live. Exchanges must be redacted (see {@link Redactor}) before
 * {@link #put}; the store writes what it is given.
 *
 * <p>Several exchanges with one fingerprint are <em>takes</em>; {@link #takes} returns them in the
 * order they were first put. Putting an id again replaces that exchange and keeps its place.
 *
 * <p><strong>Calls block</strong> (disk I/O for the RocksDB implementation): callers on a Netty
 * event loop must hand them to a dedicated executor and never call them on the loop itself.
 * Implementations are thread-safe. After {@link #close} every call throws {@link StoreException}.
 */
public interface ExchangeStore extends AutoCloseable {

  /** Stores an exchange atomically (record and index together), replacing one with the same id. */
  void put(RecordedExchange exchange);

  /** The exchange with this id. */
  Optional<RecordedExchange> get(String id);

  /** All exchanges under this fingerprint, in recording order (empty when none). */
  List<RecordedExchange> takes(String fingerprint);

  /** Visits every exchange; the order is the implementation's (RocksDB: by id). */
  void forEach(Consumer<? super RecordedExchange> visitor);

  /** Every exchange; use {@link #forEach} for large stores. */
  default List<RecordedExchange> list() {
    List<RecordedExchange> all = new ArrayList<>();
    forEach(all::add);
    return all;
  }

  /** Removes an exchange and its index entry; false when there was none. */
  boolean delete(String id);

  /** The number of exchanges. */
  long count();

  /** Releases the store; idempotent. */
  @Override
  void close();
}
