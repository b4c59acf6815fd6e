package io.llmsim.proxy;

import io.llmsim.core.generate.Generators;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.mode.Mode;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.synth.SynthesisSettings;
import io.llmsim.proxy.replay.ReplaySettings;
import java.nio.file.Path;

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
  static LlmSimServer startForwarding(String upstreamUrl, java.nio.file.Path store,
      java.util.function.UnaryOperator<io.llmsim.proxy.upstream.UpstreamSettings> adjust)
      throws InterruptedException {
    return LlmSimServer.start(forwardingConfig(upstreamUrl, store, adjust));
  }

  /** The config of {@link #startForwarding}, to adjust further. */
  static ServerConfig forwardingConfig(String upstreamUrl, java.nio.file.Path store,
      java.util.function.UnaryOperator<io.llmsim.proxy.upstream.UpstreamSettings> adjust) {
    java.util.Map<String, io.llmsim.proxy.upstream.Upstream> upstreams = new java.util.HashMap<>();
    for (String provider : java.util.List.of("openai", "anthropic", "gemini", "azure")) {
      upstreams.put(provider, io.llmsim.proxy.upstream.Upstream.of(provider, upstreamUrl));
    }
    io.llmsim.proxy.upstream.UpstreamSettings settings = adjust.apply(
        new io.llmsim.proxy.upstream.UpstreamSettings(upstreams, null, false,
            java.util.Map.of(), null));
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
