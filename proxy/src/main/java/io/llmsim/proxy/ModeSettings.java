package io.llmsim.proxy;

import io.llmsim.core.mode.Mode;
import io.llmsim.proxy.record.Scope;
import io.llmsim.proxy.replay.ReplaySettings;
import io.llmsim.proxy.upstream.UpstreamSettings;
import io.llmsim.store.Fingerprint;
import io.llmsim.store.Redactor;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What the modes other than synthesize need, and which modes a request's header may choose.
 *
 * @param headerModes modes a request may select with {@code x-simulation-mode}; a CI sidecar may
 *     leave out {@code record} and {@code passthrough} so clients cannot reach real providers
 * @param storeDir the exchange store (RocksDB), opened and locked at start-up; null for none
 * @param upstreams where record and passthrough forward to
 * @param replay how replay serves recordings
 * @param redactor what is removed from an exchange before it is stored
 * @param fingerprint how a request is matched to recordings (which fields are ignored)
 * @param scope the scope of requests without an {@code x-llmsim-scope} header; null for none
 * @param keepIncomplete store recordings cut short (the client or the upstream went away) too;
 *     by default they are discarded, so a flapping client cannot fill the store
 */
public record ModeSettings(Set<Mode> headerModes, Path storeDir, UpstreamSettings upstreams,
    ReplaySettings replay, Redactor redactor, Fingerprint fingerprint, String scope,
    boolean keepIncomplete) {

  public static final ModeSettings DEFAULTS = new ModeSettings(EnumSet.allOf(Mode.class),
      null, UpstreamSettings.NONE, ReplaySettings.DEFAULTS, Redactor.defaults(),
      Fingerprint.defaults(), null, false);

  /** Without a default scope, discarding incomplete recordings. */
  public ModeSettings(Set<Mode> headerModes, Path storeDir, UpstreamSettings upstreams,
      ReplaySettings replay, Redactor redactor, Fingerprint fingerprint) {
    this(headerModes, storeDir, upstreams, replay, redactor, fingerprint, null, false);
  }

  public ModeSettings {
    headerModes = headerModes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(headerModes));
    Objects.requireNonNull(upstreams, "upstreams");
    Objects.requireNonNull(replay, "replay");
    Objects.requireNonNull(redactor, "redactor");
    Objects.requireNonNull(fingerprint, "fingerprint");
    String problem = Scope.problem(scope);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  public ModeSettings withScope(String newScope) {
    return new ModeSettings(headerModes, storeDir, upstreams, replay, redactor, fingerprint,
        newScope, keepIncomplete);
  }

  public ModeSettings withUpstreams(UpstreamSettings newUpstreams) {
    return new ModeSettings(headerModes, storeDir, newUpstreams, replay, redactor,
        fingerprint, scope, keepIncomplete);
  }

  public ModeSettings withStoreDir(Path newStoreDir) {
    return new ModeSettings(headerModes, newStoreDir, upstreams, replay, redactor,
        fingerprint, scope, keepIncomplete);
  }

  public ModeSettings withReplay(ReplaySettings newReplay) {
    return new ModeSettings(headerModes, storeDir, upstreams, newReplay, redactor,
        fingerprint, scope, keepIncomplete);
  }

  public ModeSettings withHeaderModes(Set<Mode> newHeaderModes) {
    return new ModeSettings(newHeaderModes, storeDir, upstreams, replay, redactor,
        fingerprint, scope, keepIncomplete);
  }

  public ModeSettings withRedaction(Redactor newRedactor, Fingerprint newFingerprint) {
    return new ModeSettings(headerModes, storeDir, upstreams, replay, newRedactor,
        newFingerprint, scope, keepIncomplete);
  }

  public ModeSettings withKeepIncomplete(boolean keep) {
    return new ModeSettings(headerModes, storeDir, upstreams, replay, redactor, fingerprint,
        scope, keep);
  }
}
