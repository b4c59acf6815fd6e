package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmsim.core.mode.Mode;
import io.llmsim.core.mode.Speed;
import io.llmsim.proxy.replay.ReplaySettings;
import io.llmsim.store.ExchangeStore;
import io.llmsim.store.InMemoryExchangeStore;
import io.llmsim.store.RocksDbExchangeStore;
import io.llmsim.store.fixtures.ExportFilter;
import io.llmsim.store.fixtures.FixtureCache;
import io.llmsim.store.fixtures.FixtureFormatException;
import io.llmsim.store.fixtures.FixtureSets;
import io.llmsim.store.fixtures.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving fixture sets directly: imported once into a store keyed by their hashes, replayed
 * without a store of recordings, and a broken set refuses the start.
 */
class FixtureServingTest {
  private static final String HELLO = "{\"model\":\"gpt-4o\",\"messages\":["
      + "{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  private static final String ANSWER = "{\"id\":\"chatcmpl-fixture\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello from a fixture\"},"
      + "\"finish_reason\":\"stop\"}]}";
  private static final String MAX = "x-simulation-mode: replay; speed=max";

  @TempDir Path dir;

  @Test
  void aSetIsReplayedWithoutAStoreAndItsImportIsReusedOnTheNextStart() throws Exception {
    Path set = exportSet("greetings");
    Path store = dir.resolve("state/store");

    try (LlmSimServer server = startWithFixtures(store, set);
        RawHttpClient client = new RawHttpClient(server.port())) {
      RawHttpClient.Response r =
          client.send(RawHttpClient.post("/v1/chat/completions", HELLO, MAX)).read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo(ANSWER);
    }
    assertThat(store).doesNotExist(); // replay read the fixture store only
    Path cached = dir.resolve("state/fixture-cache").resolve(FixtureCache.key(List.of(set)));
    assertThat(cached.resolve("CURRENT")).exists();
    // Something only the built store holds: served next time only if it is opened, not rebuilt.
    String other = HELLO.replace("Say hello", "Say goodbye");
    try (ExchangeStore built = RocksDbExchangeStore.open(cached)) {
      built.put(Recordings.whole("0199a6e3c7d4f1a2b3c4d5e6f709", Recordings.CHAT, "gpt-4o",
          other, 200, ANSWER.replace("Hello", "Goodbye"), 10));
    }

    // The store of a set's version nobody has served for weeks.
    Path stale = Files.createDirectories(cached.resolveSibling("5e".repeat(32)));
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(30))));

    try (LlmSimServer again = startWithFixtures(store, set);
        RawHttpClient client = new RawHttpClient(again.port())) {
      assertThat(client.send(RawHttpClient.post("/v1/chat/completions", other, MAX)).read()
          .text()).contains("Goodbye from a fixture");
    }
    try (Stream<Path> builds = Files.list(dir.resolve("state/fixture-cache"))) {
      assertThat(builds.filter(Files::isDirectory)).containsExactly(cached); // the stale one went
    }
  }

  @Test
  void aTamperedSetRefusesTheStartNamingTheFile() throws Exception {
    Path set = exportSet("tampered");
    Path exchange;
    try (Stream<Path> files = Files.walk(set)) {
      exchange = files.filter(p -> Files.isRegularFile(p)
              && !p.getFileName().toString().equals("manifest.json"))
          .findFirst().orElseThrow();
    }
    Files.writeString(exchange, Files.readString(exchange).replace("Hello from a fixture",
        "Hello from an edit"));

    assertThatThrownBy(() -> startWithFixtures(dir.resolve("store"), set))
        .isInstanceOf(FixtureFormatException.class)
        .hasMessageContaining(exchange.getFileName().toString());
  }

  private LlmSimServer startWithFixtures(Path store, Path set) throws InterruptedException {
    ReplaySettings replay = new ReplaySettings(Speed.MAX, "error", false, false, List.of(set));
    return LlmSimServer.start(ServerConfig.defaults().withPort(0)
        .withSynthesis(TestServers.instant()).withMode(Mode.REPLAY)
        .withModes(ModeSettings.DEFAULTS.withStoreDir(store).withReplay(replay)));
  }

  private Path exportSet(String name) {
    Path out = dir.resolve(name);
    try (ExchangeStore source = new InMemoryExchangeStore()) {
      source.put(Recordings.whole("0199a6e3c7d4f1a2b3c4d5e6f708", Recordings.CHAT, "gpt-4o",
          HELLO, 200, ANSWER, 40));
      FixtureSets.export(source, out, ExportFilter.ALL, name, "test set", Progress.NONE);
    }
    return out;
  }

}
