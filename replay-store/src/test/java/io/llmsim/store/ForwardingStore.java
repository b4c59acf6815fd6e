package io.llmsim.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A store passing every call to another; tests override the calls they watch. */
class ForwardingStore implements ExchangeStore {
  private final ExchangeStore delegate;

  ForwardingStore(ExchangeStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void put(RecordedExchange exchange) {
    delegate.put(exchange);
  }

  @Override
  public Optional<RecordedExchange> get(String id) {
    return delegate.get(id);
  }

  @Override
  public List<RecordedExchange> takes(String fingerprint) {
    return delegate.takes(fingerprint);
  }

  @Override
  public void forEach(Consumer<? super RecordedExchange> visitor) {
    delegate.forEach(visitor);
  }

  @Override
  public boolean delete(String id) {
    return delegate.delete(id);
  }

  @Override
  public long count() {
    return delegate.count();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
