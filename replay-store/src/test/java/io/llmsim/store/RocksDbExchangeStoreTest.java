package io.llmsim.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

class RocksDbExchangeStoreTest extends ExchangeStoreContract {
  @TempDir Path dir;

  @Override
  protected ExchangeStore newStore() {
    return RocksDbExchangeStore.open(dir.resolve("db"));
  }

  @Test
  void reopenPersistsRecordsTakesAndSequence() {
    store.put(Samples.exchange("b", "fp"));
    store.put(Samples.exchange("a", "fp"));
    store.close();
    store = RocksDbExchangeStore.open(dir.resolve("db"));
    assertThat(store.count()).isEqualTo(2);
    assertThat(store.get("a")).contains(Samples.exchange("a", "fp"));
    store.put(Samples.exchange("0", "fp"));
    assertThat(store.takes("fp")).extracting(RecordedExchange::id).containsExactly("b", "a", "0");
  }

  @Test
  void closeReleasesTheDatabaseSoItCanBeReopened() {
    store.put(Samples.exchange("a", "fp"));
    // RocksDB holds a LOCK file while open: a second open of a live store fails.
    assertThatThrownBy(() -> RocksDbExchangeStore.open(dir.resolve("db")))
        .isInstanceOf(StoreException.class).hasMessageContaining(dir.resolve("db").toString());
    store.close();
    try (RocksDbExchangeStore again = RocksDbExchangeStore.open(dir.resolve("db"))) {
      assertThat(again.count()).isEqualTo(1);
    }
  }

  @Test
  void tenThousandExchangesWriteAndReadBack() {
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      store.put(Samples.exchange("ex-" + i, "fp-" + (i % 100)));
    }
    assertThat(store.count()).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      assertThat(store.get("ex-" + i)).contains(Samples.exchange("ex-" + i, "fp-" + (i % 100)));
    }
    List<String> takes = store.takes("fp-42").stream().map(RecordedExchange::id).toList();
    List<String> expected = new ArrayList<>();
    for (int i = 42; i < n; i += 100) {
      expected.add("ex-" + i);
    }
    assertThat(takes).containsExactlyElementsOf(expected);
    long[] seen = {0};
    store.forEach(e -> seen[0]++);
    assertThat(seen[0]).isEqualTo(n);
  }

  @Test
  void refusesAnUnknownFormatVersion() throws Exception {
    store.close();
    Path db = dir.resolve("db");
    RocksDB.loadLibrary();
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions()) {
      List<ColumnFamilyDescriptor> cfs = List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
          new ColumnFamilyDescriptor(utf8(RocksDbExchangeStore.CF_EXCHANGES)),
          new ColumnFamilyDescriptor(utf8(RocksDbExchangeStore.CF_BY_FINGERPRINT)),
          new ColumnFamilyDescriptor(utf8(RocksDbExchangeStore.CF_META)));
      try (RocksDB raw = RocksDB.open(options, db.toString(), cfs, handles)) {
        try {
          raw.put(handles.get(3), RocksDbExchangeStore.KEY_FORMAT_VERSION,
              ByteBuffer.allocate(4).putInt(99).array());
        } finally {
          // Handles close before their database.
          handles.forEach(ColumnFamilyHandle::close);
        }
      }
    }
    assertThatThrownBy(() -> RocksDbExchangeStore.open(db))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("format version 99")
        .hasMessageContaining(db.toAbsolutePath().toString());
    // The refused open released everything: a fresh directory still opens.
    store = RocksDbExchangeStore.open(dir.resolve("db2"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
