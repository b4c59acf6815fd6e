package io.llmsim.store;

class InMemoryExchangeStoreTest extends ExchangeStoreContract {
  @Override
  protected ExchangeStore newStore() {
    return new InMemoryExchangeStore();
  }
}
