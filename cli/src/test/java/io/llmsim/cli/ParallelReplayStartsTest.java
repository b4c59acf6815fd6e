package io.llmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.store.RecordedExchange;
import io.llmsim.store.fixtures.FixtureCache;
import io.llmsim.store.fixtures.FixtureSets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parallel CI jobs on one runner: several {@code llmsim replay --fixtures SET} processes start
 * at once on an empty fixture cache. Every one starts, they share one store built once, and
 * each answers from it while the others run.
 */
class ParallelReplayStartsTest {
  private static final Path OPENAI_SET = Path.of("..", "fixtures", "openai-chat");
  private static final Pattern LISTENING = Pattern.compile("llmsim listening on (http://\\S+) ");
  private static final int PROCESSES = 4;
  /** A cold JVM per process on a busy two-core machine: generous, since it only bounds a hang. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  @TempDir Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void coldStartsOnOneCacheAllSucceedAndAnswer() throws Exception {
    Path cache = dir.resolve("cache"); // empty: every process finds no store
    RecordedExchange recorded = FixtureSets.load(OPENAI_SET).get(0);
    List<Process> processes = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    try {
      for (int i = 0; i < PROCESSES; i++) {
        Path log = dir.resolve("llmsim-" + i + ".log");
        logs.add(log);
        processes.add(new ProcessBuilder(javaCommand(), "-cp",
            System.getProperty("java.class.path"), "-Duser.home=" + dir.resolve("home"),
            Main.class.getName(), "replay", "--fixtures", OPENAI_SET.toString(),
            "--cache-dir", cache.toString(), "--store", dir.resolve("store").toString(),
            "--port", "0", "--speed", "max")
            .redirectErrorStream(true).redirectOutput(log.toFile()).start());
      }
      for (int i = 0; i < PROCESSES; i++) {
        URI base = awaitListening(processes.get(i), logs.get(i));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                base.resolve(recorded.request().path()))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(recorded.request().body())).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("process %d", i).isEqualTo(recorded.status());
      }
    } finally {
      for (Process p : processes) {
        p.destroy();
      }
      for (Process p : processes) {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
    try (Stream<Path> entries = Files.list(cache)) {
      assertThat(entries.filter(Files::isDirectory))
          .containsExactly(cache.resolve(FixtureCache.key(List.of(OPENAI_SET))));
    }
  }

  private static URI awaitListening(Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      String text = Files.readString(log);
      Matcher m = LISTENING.matcher(text);
      if (m.find()) {
        return URI.create(m.group(1));
      }
      if (!process.isAlive()) {
        throw new AssertionError("llmsim exited with status " + process.exitValue()
            + " before listening:\n" + text);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("llmsim did not start within " + START_TIMEOUT + ":\n"
        + Files.readString(log));
  }

  private static String javaCommand() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
