package io.llmsim.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A server setting as it is spelled in each place it can be given: the YAML key, the flag and the
 * environment variable. One table, so the three spellings cannot drift apart.
 */
enum Setting {
  HOST("host", "--host", "LLMSIM_HOST"),
  PORT("port", "--port", "LLMSIM_PORT"),
  MODE("mode", "--mode", "LLMSIM_MODE"),
  PROFILE("profile", "--profile", "LLMSIM_PROFILE"),
  PROFILES("profiles", "--profiles", "LLMSIM_PROFILES"),
  GENERATOR("generator", "--generator", "LLMSIM_GENERATOR"),
  SPEED("speed", "--speed", "LLMSIM_SPEED"),
  MAX_REQUEST_SIZE("max-request-size", "--max-request-size", "LLMSIM_MAX_REQUEST_SIZE"),
  IDLE_TIMEOUT("idle-timeout", "--idle-timeout", "LLMSIM_IDLE_TIMEOUT"),
  SHUTDOWN_GRACE("shutdown-grace", "--shutdown-grace", "LLMSIM_SHUTDOWN_GRACE"),
  IO_THREADS("io-threads", "--io-threads", "LLMSIM_IO_THREADS"),
  TIMER_TICK("timer-tick", "--timer-tick", "LLMSIM_TIMER_TICK"),
  MODELS("models", "--model", "LLMSIM_MODELS", true),
  AZURE_DEPLOYMENTS("azure-deployments", "--azure-deployment", "LLMSIM_AZURE_DEPLOYMENTS", true),
  STORE("store", "--store", "LLMSIM_STORE"),
  UPSTREAMS("upstreams", "--upstream", "LLMSIM_UPSTREAMS", true),
  UPSTREAM_PROXY("upstream-proxy", "--upstream-proxy", "LLMSIM_UPSTREAM_PROXY"),
  NO_PROXY("no-proxy", "--no-proxy", "LLMSIM_NO_PROXY", true),
  UPSTREAM_CA("upstream-ca", "--upstream-ca", "LLMSIM_UPSTREAM_CA"),
  UPSTREAM_TIMEOUTS("upstream-timeouts", "--upstream-timeout", "LLMSIM_UPSTREAM_TIMEOUTS", true),
  INJECT_KEYS("inject-keys", "--inject-keys", "LLMSIM_INJECT_KEYS"),
  HEADER_MODES("header-modes", "--header-modes", "LLMSIM_HEADER_MODES", true),
  REDACT_HEADERS("redact-headers", "--redact-header", "LLMSIM_REDACT_HEADERS", true),
  REDACT_FIELDS("redact-fields", "--redact-field", "LLMSIM_REDACT_FIELDS", true),
  REDACT_PATTERNS("redact-patterns", "--redact-pattern", "LLMSIM_REDACT_PATTERNS", true),
  KEEP_INCOMPLETE("keep-incomplete", "--keep-incomplete", "LLMSIM_KEEP_INCOMPLETE"),
  ON_MISS("on-miss", "--on-miss", "LLMSIM_ON_MISS"),
  STRICT("strict", "--strict", "LLMSIM_STRICT"),
  INCLUDE_INCOMPLETE("include-incomplete", "--include-incomplete", "LLMSIM_INCLUDE_INCOMPLETE"),
  FAULT_SEED("fault-seed", "--fault-seed", "LLMSIM_FAULT_SEED"),
  HEADER_FAULTS("header-faults", "--header-faults", "LLMSIM_HEADER_FAULTS", true),
  FIXTURES("fixtures", "--fixtures", "LLMSIM_FIXTURES", true),
  CACHE_DIR("cache-dir", "--cache-dir", "LLMSIM_CACHE_DIR"),
  SCOPE("scope", "--scope", "LLMSIM_SCOPE"),
  MATCH("match", "--match", "LLMSIM_MATCH"),
  MATCH_IGNORE("match-ignore", "--match-ignore", "LLMSIM_MATCH_IGNORE", true);

  private final String key;
  private final String flag;
  private final String env;
  /** Several values: repeated flags, a comma-separated variable, a YAML list. */
  private final boolean list;

  Setting(String key, String flag, String env) {
    this(key, flag, env, false);
  }

  Setting(String key, String flag, String env, boolean list) {
    this.key = key;
    this.flag = flag;
    this.env = env;
    this.list = list;
  }

  boolean isList() {
    return list;
  }

  /** The YAML key. */
  String key() {
    return key;
  }

  String flag() {
    return flag;
  }

  String env() {
    return env;
  }

  static Optional<Setting> forKey(String key) {
    return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
  }

  /**
   * The key a misspelt one was probably meant to be: same letters ignoring case, dashes and
   * underscores ({@code maxRequestSize}, {@code max_request_size}), else within two edits.
   */
  static Optional<String> suggest(String unknown) {
    String u = normalize(unknown);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Setting s : values()) {
      String k = normalize(s.key);
      int d = k.equals(u) ? 0 : distance(u, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = s.key;
      }
    }
    int allowed = Math.min(2, Math.max(1, u.length() / 3));
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  private static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
  }

  /** Levenshtein distance, with a swap of two neighbours counted as one edit. */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
