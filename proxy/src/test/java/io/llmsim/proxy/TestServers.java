package io.llmsim.proxy;

import io.llmsim.core.generate.Generators;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.mode.Mode;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.synth.SynthesisSettings;
import io.llmsim.proxy.replay.ReplaySettings;
import io.llmsim.proxy.upstream.Upstream;
import io.llmsim.proxy.upstream.UpstreamSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Servers the socket tests share. */
final class TestServers {
  private TestServers() {}

  /** Settings that answer at once: the {@code instant} profile for every model, lorem text. */
  static SynthesisSettings instant() {
    return new SynthesisSettings(ProfileCatalog.builtIn(), Generators.lorem(), "instant",
        Speed.NORMAL);
  }

  /** A server on a free loopback port that answers at once. */
  static LlmSimServer startInstant() throws InterruptedException {
    return LlmSimServer.start(ServerConfig.defaults().withPort(0).withSynthesis(instant()));
  }

  /**
   * A server that forwards every provider to {@code upstreamUrl} and records into {@code store};
   * it synthesizes unless a request's header asks for another mode.
   */
  static LlmSimServer startForwarding(String upstreamUrl, Path store,
      UnaryOperator<UpstreamSettings> adjust)
      throws InterruptedException {
    return LlmSimServer.start(forwardingConfig(upstreamUrl, store, adjust));
  }

  /** The config of {@link #startForwarding}, to adjust further. */
  static ServerConfig forwardingConfig(String upstreamUrl, Path store,
      UnaryOperator<UpstreamSettings> adjust) {
    Map<String, Upstream> upstreams = new HashMap<>();
    for (String provider : List.of("openai", "anthropic", "gemini", "azure")) {
      upstreams.put(provider, Upstream.of(provider, upstreamUrl));
    }
    UpstreamSettings settings = adjust.apply(
        new UpstreamSettings(upstreams, null, false,
            Map.of(), null));
    return ServerConfig.defaults().withPort(0).withSynthesis(instant())
        .withModes(ModeSettings.DEFAULTS.withStoreDir(store).withUpstreams(settings));
  }

  /**
   * A server that replays from a RocksDB store in {@code storeDir} by default (and synthesizes at
   * once when a request asks for it).
   */
  static LlmSimServer startReplay(Path storeDir, ReplaySettings replay)
      throws InterruptedException {
    return LlmSimServer.start(ServerConfig.defaults().withPort(0).withSynthesis(instant())
        .withMode(Mode.REPLAY)
        .withModes(ModeSettings.DEFAULTS.withStoreDir(storeDir).withReplay(replay)));
  }
}
