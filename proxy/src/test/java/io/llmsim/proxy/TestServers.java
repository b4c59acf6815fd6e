package io.llmsim.proxy;

import io.llmsim.core.generate.Generators;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.synth.SynthesisSettings;

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
}
