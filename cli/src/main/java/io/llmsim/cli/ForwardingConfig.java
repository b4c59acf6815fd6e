package io.llmsim.cli;

import io.llmsim.core.mode.Mode;
import io.llmsim.proxy.upstream.OutboundProxy;
import io.llmsim.proxy.upstream.Upstream;
import io.llmsim.proxy.upstream.UpstreamSettings;
import io.llmsim.proxy.upstream.UpstreamTimeouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the settings of record and passthrough (upstreams, proxy, timeouts, keys) and of which
 * modes a header may choose, from their text form. Each method throws
 * {@link IllegalArgumentException} with a message that names the bad entry.
 */
final class ForwardingConfig {
  static final List<String> PROVIDERS = List.of("openai", "anthropic", "gemini", "azure");
  private static final List<String> PHASES = List.of("connect", "first-byte", "idle", "total");

  private ForwardingConfig() {}

  /** {@code PROVIDER=URL} or a bare URL (every provider) to provider → URL. */
  static Map<String, String> upstreams(List<String> entries) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String raw : entries) {
      String entry = raw.trim();
      int eq = entry.indexOf('=');
      boolean named = eq > 0 && !entry.substring(0, eq).contains("/");
      String url = named ? entry.substring(eq + 1).trim() : entry;
      List<String> providers = named ? List.of(provider(entry.substring(0, eq))) : PROVIDERS;
      for (String provider : providers) {
        Upstream.of(provider, url); // checks the URL
        out.put(provider, url);
      }
    }
    return out;
  }

  private static String provider(String token) {
    String provider = token.trim().toLowerCase(Locale.ROOT);
    if (!PROVIDERS.contains(provider)) {
      throw new IllegalArgumentException("unknown provider '" + token.trim() + "'; expected one of "
          + String.join(", ", PROVIDERS));
    }
    return provider;
  }

  /** {@code [PROVIDER.]PHASE=DURATION} entries applied to every upstream (or the named one). */
  static Map<String, Upstream> withTimeouts(Map<String, Upstream> upstreams, List<String> entries) {
    Map<String, Upstream> out = new LinkedHashMap<>(upstreams);
    for (String raw : entries) {
      String entry = raw.trim();
      int eq = entry.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "expected PHASE=DURATION such as first-byte=15m; got '" + entry + "'");
      }
      String target = entry.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      Duration value = Units.parseDuration(entry.substring(eq + 1).trim());
      int dot = target.indexOf('.');
      String phase = dot < 0 ? target : target.substring(dot + 1);
      if (!PHASES.contains(phase)) {
        throw new IllegalArgumentException("unknown timeout '" + phase + "'; expected one of "
            + String.join(", ", PHASES));
      }
      List<String> providers = dot < 0 ? List.copyOf(out.keySet())
          : List.of(provider(target.substring(0, dot)));
      for (String provider : providers) {
        Upstream u = out.get(provider);
        if (u != null) {
          out.put(provider, u.withTimeouts(with(u.timeouts(), phase, value)));
        }
      }
    }
    return out;
  }

  private static UpstreamTimeouts with(UpstreamTimeouts t, String phase, Duration value) {
    return switch (phase) {
      case "connect" -> new UpstreamTimeouts(value, t.firstByte(), t.idle(), t.total());
      case "first-byte" -> new UpstreamTimeouts(t.connect(), value, t.idle(), t.total());
      case "idle" -> new UpstreamTimeouts(t.connect(), t.firstByte(), value, t.total());
      default -> new UpstreamTimeouts(t.connect(), t.firstByte(), t.idle(), value);
    };
  }

  /** The outbound proxy from the setting, else from the usual environment variables. */
  static OutboundProxy proxy(String setting, List<String> noProxy, Map<String, String> env) {
    String url = setting;
    for (String name : List.of("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")) {
      if (url == null || url.isBlank()) {
        url = env.get(name);
      }
    }
    if (url == null || url.isBlank()) {
      return null;
    }
    List<String> exempt = noProxy;
    if (exempt.isEmpty()) {
      String fromEnv = env.getOrDefault("NO_PROXY", env.get("no_proxy"));
      exempt = fromEnv == null ? List.of() : List.of(fromEnv.split(","));
    }
    return OutboundProxy.parse(url.trim(), exempt);
  }

  static Path existingFile(String path) {
    Path p = Path.of(path);
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException("no such file: " + path);
    }
    return p;
  }

  static Set<Mode> modes(List<String> tokens) {
    Set<Mode> modes = EnumSet.noneOf(Mode.class);
    for (String token : tokens) {
      Mode mode = Mode.fromToken(token.trim().toLowerCase(Locale.ROOT));
      if (mode == null) {
        throw new IllegalArgumentException("unknown mode '" + token.trim()
            + "'; expected synthesize, replay, record or passthrough");
      }
      modes.add(mode);
    }
    return modes;
  }

  /**
   * The upstreams of a server: the providers' public APIs with {@code overrides} on top, when any
   * upstream was configured or the default mode forwards; none otherwise, so a synthesizing server
   * never reaches a real provider unless told to.
   */
  static UpstreamSettings settings(Mode mode, Map<String, String> overrides,
      List<String> timeouts, OutboundProxy proxy, boolean injectKeys, Map<String, String> env,
      Path ca) {
    if (overrides.isEmpty() && mode != Mode.RECORD && mode != Mode.PASSTHROUGH) {
      return UpstreamSettings.NONE;
    }
    Map<String, Upstream> upstreams =
        withTimeouts(UpstreamSettings.withDefaults(overrides), timeouts);
    return new UpstreamSettings(upstreams, proxy, injectKeys,
        injectKeys ? UpstreamSettings.keysFrom(env) : Map.of(), ca);
  }

  /** {@code ~/.llmsim/store}, the store DESIGN §5 promises by default. */
  static Path defaultStore() {
    return Path.of(System.getProperty("user.home"), ".llmsim", "store");
  }
}
