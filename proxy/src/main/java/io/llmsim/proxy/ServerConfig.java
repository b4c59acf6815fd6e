package io.llmsim.proxy;

import io.llmsim.core.mode.Mode;
import io.llmsim.core.synth.SynthesisSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the server needs to start. Built by the CLI from flags, environment and config file.
 *
 * @param port 0 picks a free port
 * @param maxRequestBytes larger request bodies get 413
 * @param idleTimeout a connection with no request and no response in flight this long is closed
 * @param shutdownGrace how long in-flight answers may run on after a stop is asked for
 * @param ioThreads event loop threads; 0 means one per core
 * @param extraModels model ids listed by {@code GET /v1/models} beside the built-in ones
 * @param azureDeployments Azure OpenAI deployment name to the model it serves; empty means every
 *     deployment name is taken as the model's name
 * @param mode the mode of a request without an {@code x-simulation-mode} header
 * @param modes what record, passthrough and replay need, and which modes a header may choose
 * @param chaos fault rules, the faults a header may choose, and the rate limiter
 * @param timerTick the grid timed writes wait for: a frame goes out at the first tick at or after
 *     its deadline, so the frames of many streams due close together share one wake-up of the
 *     event loop; zero writes each at its own deadline (more wake-ups, more CPU)
 */
public record ServerConfig(
    String host,
    int port,
    Mode mode,
    SynthesisSettings synthesis,
    int maxRequestBytes,
    Duration idleTimeout,
    Duration shutdownGrace,
    int ioThreads,
    List<String> extraModels,
    Map<String, String> azureDeployments,
    ModeSettings modes,
    ChaosSettings chaos,
    Duration timerTick) {

  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MAX_REQUEST_BYTES = 8 * 1024 * 1024;
  public static final Duration DEFAULT_TIMER_TICK = Duration.ofMillis(1);
  /** A coarser grid would change the timing a profile or a recording asks for. */
  public static final Duration MAX_TIMER_TICK = Duration.ofMillis(100);

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(synthesis, "synthesis");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    extraModels = List.copyOf(extraModels);
    azureDeployments = Map.copyOf(azureDeployments);
    // A blank name or model could never match a request path and would only hide a typo.
    azureDeployments.forEach((name, model) -> {
      if (name.isBlank() || model.isBlank()) {
        throw new IllegalArgumentException(
            "azure deployment name and model must not be empty, got '" + name + "=" + model + "'");
      }
    });
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException("max request size must be >= 1024 bytes, got " + maxRequestBytes);
    }
    Objects.requireNonNull(modes, "modes");
    Objects.requireNonNull(chaos, "chaos");
    Objects.requireNonNull(timerTick, "timerTick");
    if (timerTick.isNegative() || timerTick.compareTo(MAX_TIMER_TICK) > 0) {
      throw new IllegalArgumentException(
          "timer tick must be 0.." + MAX_TIMER_TICK.toMillis() + "ms, got " + timerTick);
    }
  }

  /** A config without fault rules or rate limits, on the default timer tick. */
  public ServerConfig(String host, int port, Mode mode, SynthesisSettings synthesis,
      int maxRequestBytes, Duration idleTimeout, Duration shutdownGrace, int ioThreads,
      List<String> extraModels, Map<String, String> azureDeployments, ModeSettings modes) {
    this(host, port, mode, synthesis, maxRequestBytes, idleTimeout, shutdownGrace, ioThreads,
        extraModels, azureDeployments, modes, ChaosSettings.NONE, DEFAULT_TIMER_TICK);
  }

  /** Defaults: synthesize on 127.0.0.1:8080. */
  public static ServerConfig defaults() {
    return new ServerConfig(
        "127.0.0.1", DEFAULT_PORT, Mode.SYNTHESIZE, SynthesisSettings.defaults(),
        DEFAULT_MAX_REQUEST_BYTES, Duration.ofSeconds(120), Duration.ofSeconds(30), 0, List.of(),
        Map.of(), ModeSettings.DEFAULTS);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(
        host, newPort, mode, synthesis, maxRequestBytes, idleTimeout, shutdownGrace, ioThreads,
        extraModels, azureDeployments, modes, chaos, timerTick);
  }

  public ServerConfig withSynthesis(SynthesisSettings newSynthesis) {
    return new ServerConfig(
        host, port, mode, newSynthesis, maxRequestBytes, idleTimeout, shutdownGrace, ioThreads,
        extraModels, azureDeployments, modes, chaos, timerTick);
  }

  /** The same config with Azure deployment name to model mappings; empty to map none. */
  public ServerConfig withAzureDeployments(Map<String, String> newAzureDeployments) {
    return new ServerConfig(
        host, port, mode, synthesis, maxRequestBytes, idleTimeout, shutdownGrace, ioThreads,
        extraModels, newAzureDeployments, modes, chaos, timerTick);
  }

  public ServerConfig withLimits(int newMaxRequestBytes, Duration newIdleTimeout, Duration newGrace) {
    return new ServerConfig(
        host, port, mode, synthesis, newMaxRequestBytes, newIdleTimeout, newGrace, ioThreads,
        extraModels, azureDeployments, modes, chaos, timerTick);
  }

  /** The same config with another default mode. */
  public ServerConfig withMode(Mode newMode) {
    return new ServerConfig(
        host, port, newMode, synthesis, maxRequestBytes, idleTimeout, shutdownGrace, ioThreads,
        extraModels, azureDeployments, modes, chaos, timerTick);
  }

  public ServerConfig withModes(ModeSettings newModes) {
    return new ServerConfig(
        host, port, mode, synthesis, maxRequestBytes, idleTimeout, shutdownGrace, ioThreads,
        extraModels, azureDeployments, newModes, chaos, timerTick);
  }

  /** The same config with other fault rules and rate limits. */
  public ServerConfig withChaos(ChaosSettings newChaos) {
    return new ServerConfig(
        host, port, mode, synthesis, maxRequestBytes, idleTimeout, shutdownGrace, ioThreads,
        extraModels, azureDeployments, modes, newChaos, timerTick);
  }

  /** The same config with another timer tick. */
  public ServerConfig withTimerTick(Duration newTimerTick) {
    return new ServerConfig(
        host, port, mode, synthesis, maxRequestBytes, idleTimeout, shutdownGrace, ioThreads,
        extraModels, azureDeployments, modes, chaos, newTimerTick);
  }
}
