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
}
