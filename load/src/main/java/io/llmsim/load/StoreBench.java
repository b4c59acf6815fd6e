package io.llmsim.load;

import io.llmsim.store.CachingExchangeStore;
import io.llmsim.store.Fingerprint;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import io.llmsim.store.RocksDbExchangeStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Measures the exchange store as replay uses it: the write rate of a large store, then lookups by
 * fingerprint, cold (a RocksDB read and decode, as on a cache miss) and hot (from the Caffeine
 * cache in front of it). One thread, like the store's own.
 *
 * <pre>
 * java -cp cli/target/llmsim.jar io.llmsim.load.StoreBench [COUNT] [DIR]
 * </pre>
 */
public final class StoreBench {
  private static final String ENDPOINT = "POST /v1/chat/completions";
  private static final String MODEL = "gpt-4o-mini";
  private static final int CHUNKS = 30;

  private StoreBench() {}

  public static void main(String[] args) throws IOException {
    int count = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("llmsim-storebench");
    Fingerprint fingerprint = Fingerprint.defaults();
    List<Chunk> chunks = chunks();

    try (RocksDbExchangeStore store = RocksDbExchangeStore.open(dir)) {
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        store.put(exchange(i, fingerprint, chunks));
        if ((i + 1) % 100_000 == 0) {
          System.err.printf("  %,d written%n", i + 1);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("write   %,d exchanges (%,d bytes of body each) in %.1f s: %,.0f/s;"
          + " store on disk %,d MB%n", count, chunks.stream().mapToInt(Chunk::length).sum(),
          seconds, count / seconds, size(dir) >> 20);
    }

    // Reopened: RocksDB's block cache is empty, as after a restart (the OS page cache is not).
    try (RocksDbExchangeStore store = RocksDbExchangeStore.open(dir)) {
      SplittableRandom random = new SplittableRandom(42);
      int lookups = 200_000;
      Histogram cold = new Histogram(3);
      for (int i = 0; i < lookups; i++) {
        String print = fingerprint(random.nextInt(count), fingerprint);
        long t0 = System.nanoTime();
        List<RecordedExchange> takes = store.takes(print);
        cold.recordValue(System.nanoTime() - t0);
        if (takes.isEmpty()) {
          throw new IllegalStateException("lost an exchange");
        }
      }
      report("cold (RocksDB)", cold);

      CachingExchangeStore cached =
          new CachingExchangeStore(store, CachingExchangeStore.DEFAULT_MAX_BYTES);
      int hotSet = 10_000;
      String[] prints = new String[hotSet];
      for (int i = 0; i < hotSet; i++) {
        prints[i] = fingerprint(random.nextInt(count), fingerprint);
        cached.takes(prints[i]);
      }
      Histogram hot = new Histogram(3);
      for (int i = 0; i < lookups * 5; i++) {
        String print = prints[random.nextInt(hotSet)];
        long t0 = System.nanoTime();
        List<RecordedExchange> takes = cached.cachedTakes(print);
        hot.recordValue(System.nanoTime() - t0);
        if (takes == null || takes.isEmpty()) {
          throw new IllegalStateException("not cached");
        }
      }
      report("hot (cache)", hot);
    }
  }

  private static void report(String what, Histogram h) {
    System.out.printf("lookup  %-15s n=%,d  p50 %.1f us  p99 %.1f us  p99.9 %.1f us  max %.1f us%n",
        what, h.getTotalCount(), h.getValueAtPercentile(50) / 1e3,
        h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
        h.getMaxValue() / 1e3);
  }

  private static byte[] body(int i) {
    return ("{\"model\":\"" + MODEL + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Question number " + i + ": what is the weather like?\"}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String fingerprint(int i, Fingerprint fingerprint) {
    return fingerprint.compute(ENDPOINT, MODEL, body(i));
  }

  private static RecordedExchange exchange(int i, Fingerprint fingerprint, List<Chunk> chunks) {
    byte[] body = body(i);
    Request request = new Request("POST", "/v1/chat/completions", "",
        List.of(new Header("content-type", "application/json")), body);
    return new RecordedExchange(String.format("%012x%08x", 1_700_000_000_000L + i, i),
        fingerprint.compute(ENDPOINT, MODEL, body), "openai", ENDPOINT, MODEL,
        1_700_000_000_000L + i, request, 200,
        List.of(new Header("content-type", "text/event-stream")), 250_000, chunks,
        new RecordedExchange.TokenUsage(20L, (long) CHUNKS), true, List.of());
  }

  private static List<Chunk> chunks() {
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < CHUNKS; i++) {
      String event = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word" + i + "\"}}]}\n\n";
      chunks.add(new Chunk(300_000L + i * 20_000L, event.getBytes(StandardCharsets.UTF_8)));
    }
    return chunks;
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
