package io.llmsim.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What survives {@code kill -9} (docs/reliability.md): a process killed while it writes to a
 * RocksDB store loses no exchange whose write had returned, and leaves none half-written. The
 * writer is a real second JVM; SIGKILL gives it no chance to close the store or flush anything.
 */
class StoreSurvivesKillTest {
  private static final String FINGERPRINT = "fp-kill";
  /** Acknowledged writes to wait for before the kill: enough that it lands mid-stream. */
  private static final long BEFORE_KILL = 300;

  @TempDir Path dir;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aKilledWriterLosesNoStoredExchangeAndLeavesNoneHalfWritten() throws Exception {
    Path db = dir.resolve("db");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process writer = new ProcessBuilder(java.toString(), "-cp",
        System.getProperty("java.class.path"), Writer.class.getName(), db.toString())
        .redirectError(dir.resolve("writer.err").toFile())
        .start();
    long acknowledged = -1;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(writer.getInputStream(), StandardCharsets.US_ASCII))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        acknowledged = Long.parseLong(line);
        if (acknowledged >= BEFORE_KILL) {
          writer.destroyForcibly(); // SIGKILL, while the writer goes on writing
          break;
        }
      }
    }
    assertThat(writer.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(acknowledged).as("exchanges the writer stored before the kill")
        .isGreaterThanOrEqualTo(BEFORE_KILL);

    try (RocksDbExchangeStore store = RocksDbExchangeStore.open(db)) {
      long count = store.count();
      // Writes are sequential, so the store holds exchanges 0 .. count-1, each whole.
      assertThat(count).isGreaterThan(acknowledged);
      for (long i = 0; i < count; i++) {
        assertThat(store.get(Writer.id(i))).contains(Writer.exchange(i));
      }
      assertThat(store.takes(FINGERPRINT)).hasSize((int) count);
    }
  }

  /** The killed process: stores exchange 0, 1, 2, … and prints each index once its put returned. */
  public static final class Writer {
    private Writer() {}

    static String id(long i) {
      return "ex-" + i;
    }

    static RecordedExchange exchange(long i) {
      return Samples.exchange(id(i), FINGERPRINT);
    }

    public static void main(String[] args) {
      RocksDbExchangeStore store = RocksDbExchangeStore.open(Path.of(args[0]));
      for (long i = 0; ; i++) {
        store.put(exchange(i));
        System.out.println(i);
        System.out.flush();
      }
    }
  }
}
