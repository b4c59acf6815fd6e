package io.llmsim.proxy;

import io.llmsim.store.fixtures.FixtureCache;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store that serves {@code --fixtures} sets: built once per distinct content under
 * {@code --cache-dir} (else {@code <store's parent>/fixture-cache/}, else
 * {@code ~/.llmsim/fixture-cache/}) as {@code <hash>}, then opened read-only at every start, so
 * several servers can share it; each start then removes the cache's stale entries. Runs at
 * start-up, on the starting thread.
 */
final class FixtureStores {
  private static final Logger log = LoggerFactory.getLogger(FixtureStores.class);

  private FixtureStores() {}

  /**
   * The opened fixture store, or null when no sets are configured.
   *
   * @throws io.llmsim.store.fixtures.FixtureFormatException naming each broken file
   */
  static StoreAccess open(ModeSettings modes) {
    List<Path> sets = modes.replay().fixtures();
    if (sets.isEmpty()) {
      return null;
    }
    Path cacheRoot = modes.replay().fixtureCache() != null ? modes.replay().fixtureCache()
        : cacheRoot(modes.storeDir());
    long started = System.nanoTime();
    Path dir = FixtureCache.prepare(sets, cacheRoot);
    log.info("fixture sets {} served from {} (ready in {} ms)", sets, dir,
        (System.nanoTime() - started) / 1_000_000);
    StoreAccess access = new StoreAccess(() -> FixtureCache.open(dir),
        "fixture sets " + sets + " (" + dir + ")");
    try {
      access.openNow();
    } catch (RuntimeException e) {
      access.close();
      throw e;
    }
    List<Path> removed = FixtureCache.removeStale(cacheRoot, dir);
    if (!removed.isEmpty()) {
      log.info("fixture cache: removed stale entries {}", removed);
    }
    return access;
  }

  /** Beside the store, so one directory holds all of a project's llmsim state. */
  static Path cacheRoot(Path storeDir) {
    Path parent = storeDir == null ? null : storeDir.toAbsolutePath().normalize().getParent();
    if (parent == null) {
      parent = Path.of(System.getProperty("user.home"), ".llmsim");
    }
    return parent.resolve("fixture-cache");
  }
}
