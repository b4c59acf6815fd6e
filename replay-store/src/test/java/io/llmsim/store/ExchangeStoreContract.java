package io.llmsim.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link ExchangeStore} shares. */
abstract class ExchangeStoreContract {
  protected ExchangeStore store;

  protected abstract ExchangeStore newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void putThenGet() {
    RecordedExchange e = Samples.exchange("a", "fp1");
    store.put(e);
    assertThat(store.get("a")).contains(e);
    assertThat(store.get("missing")).isEmpty();
    assertThat(store.count()).isEqualTo(1);
  }

  @Test
  void takesComeBackInRecordingOrder() {
    // Ids chosen so that id order and recording order differ.
    store.put(Samples.exchange("z", "fp"));
    store.put(Samples.exchange("other", "fp-other"));
    store.put(Samples.exchange("m", "fp"));
    store.put(Samples.exchange("a", "fp"));
    assertThat(store.takes("fp")).extracting(RecordedExchange::id).containsExactly("z", "m", "a");
    assertThat(store.takes("fp-other")).extracting(RecordedExchange::id).containsExactly("other");
    // A fingerprint that is a prefix of another must not see its takes.
    assertThat(store.takes("fp-")).isEmpty();
    assertThat(store.takes("f")).isEmpty();
  }

  @Test
  void replacingKeepsThePlaceAndMovesTheIndex() {
    store.put(Samples.exchange("x", "fp"));
    store.put(Samples.exchange("y", "fp"));
    store.put(Samples.exchange("x", "fp").withTags(List.of("again")));
    assertThat(store.takes("fp")).extracting(RecordedExchange::id).containsExactly("x", "y");
    assertThat(store.get("x").orElseThrow().tags()).containsExactly("again");
    assertThat(store.count()).isEqualTo(2);
    store.put(Samples.exchange("x", "fp2"));
    assertThat(store.takes("fp")).extracting(RecordedExchange::id).containsExactly("y");
    assertThat(store.takes("fp2")).extracting(RecordedExchange::id).containsExactly("x");
    assertThat(store.count()).isEqualTo(2);
  }

  @Test
  void deleteRemovesRecordAndIndex() {
    store.put(Samples.exchange("a", "fp"));
    store.put(Samples.exchange("b", "fp"));
    assertThat(store.delete("a")).isTrue();
    assertThat(store.delete("a")).isFalse();
    assertThat(store.get("a")).isEmpty();
    assertThat(store.takes("fp")).extracting(RecordedExchange::id).containsExactly("b");
    assertThat(store.count()).isEqualTo(1);
  }

  @Test
  void iteratesEverything() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      String id = String.format("id-%04d", i);
      ids.add(id);
      store.put(Samples.exchange(id, "fp" + (i % 7)));
    }
    List<String> seen = new ArrayList<>();
    store.forEach(e -> seen.add(e.id()));
    assertThat(seen).containsExactlyElementsOf(ids);
    assertThat(store.list()).hasSize(600);
  }

  @Test
  void closedStoreRefusesCalls() {
    store.close();
    store.close();
    assertThatThrownBy(() -> store.get("a")).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.put(Samples.exchange("a", "fp")))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.count()).isInstanceOf(StoreException.class);
  }
}
