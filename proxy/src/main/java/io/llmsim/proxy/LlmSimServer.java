package io.llmsim.proxy;

import io.llmsim.core.api.ApiConfig;
import io.llmsim.core.api.Router;
import io.llmsim.core.fault.FaultCounter;
import io.llmsim.core.tokens.Tokenizer;
import io.llmsim.core.api.Providers;
import io.llmsim.core.mode.Mode;
import io.llmsim.proxy.record.Recorder;
import io.llmsim.proxy.replay.Replayer;
import io.llmsim.proxy.replay.StoreReplayer;
import io.llmsim.proxy.replay.StrictReport;
import io.llmsim.proxy.metrics.ServerMetrics;
import io.llmsim.proxy.upstream.Forwarder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The llmsim HTTP server.
 *
 * <pre>{@code
 * try (LlmSimServer server = LlmSimServer.start(ServerConfig.defaults().withPort(0))) {
 *   URI base = server.baseUri();   // http://127.0.0.1:PORT
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops gracefully: it stops accepting, closes idle connections, lets answers
 * in flight finish for up to the configured grace period, then closes everything.
 */
public final class LlmSimServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LlmSimServer.class);

  private final ServerConfig config;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final ExecutorService offload;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ServerState state = new ServerState();
  private final Channel serverChannel;
  private final FaultCounter faultCounter;
  private final ServerMetrics metrics;
  /** The exchange store; null when none is configured. */
  private final StoreAccess store;
  /** The fixture sets' store, which replay reads instead of {@link #store}; null without sets. */
  private final StoreAccess fixtureStore;
  /** Answers replay; null without a store. */
  private final Replayer replayer;
  /** The strict report taken while closing, before the store closed. */
  private volatile StrictReport finalReport;
  private boolean closed;

  private LlmSimServer(ServerConfig config) throws InterruptedException {
    this.config = config;
    // First, before any thread starts: a broken set refuses the start with nothing to undo.
    this.fixtureStore = FixtureStores.open(config.modes());
    // Then the store, opened (and locked) now: a store another process holds refuses the start,
    // and the first request does not pay for the opening.
    this.store = openStore(config, fixtureStore);
    this.boss = new MultiThreadIoEventLoopGroup(
        1, new DefaultThreadFactory("llmsim-accept", true), NettyTransport.ioHandlerFactory());
    // One loop per core by default (Netty's own default is two): a busy loop sharing a core with
    // another costs context switches and timer precision, measured in docs/performance.md.
    int ioThreads = config.ioThreads() > 0
        ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
    this.workers = new MultiThreadIoEventLoopGroup(
        ioThreads, new DefaultThreadFactory("llmsim-io", true), NettyTransport.ioHandlerFactory());
    // With an unbounded queue a pool never grows past its core size: the core is the maximum,
    // and idle threads still end.
    int workThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    ThreadPoolExecutor work = new ThreadPoolExecutor(
        workThreads, workThreads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), new DefaultThreadFactory("llmsim-work", true));
    work.allowCoreThreadTimeOut(true);
    this.offload = work;
    // Loading the BPE tables takes ~0.4 s: do it now, off the loop, not in the first request.
    offload.execute(Tokenizer::o200k);
    offload.execute(Tokenizer::cl100k);
    ApiConfig api =
        new ApiConfig(config.synthesis(), config.extraModels(), config.azureDeployments());
    Router router = new Router(
        Providers.all(api),
        (request, e) -> log.error("unexpected failure answering {} {}", request.method(),
            request.path(), e));
    this.faultCounter = router.faultCounter();
    ModeSettings modes = config.modes();
    this.metrics = new ServerMetrics(faultCounter, state::inFlight);
    Recorder recorder = store == null ? null : new Recorder(store, modes, metrics);
    Forwarder forwarder = modes.upstreams().isEmpty() ? null
        : new Forwarder(modes.upstreams(), recorder);
    // With fixture sets, replay reads them (and only them); recording still goes to the store.
    StoreAccess replayed = fixtureStore != null ? fixtureStore : store;
    this.replayer = replayed == null ? null
        : new StoreReplayer(replayed, modes.fingerprint(), modes.replay(), modes.scope());
    ModeDispatcher dispatcher = new ModeDispatcher(router, config.mode(), modes, forwarder,
        replayer, new FaultsAndLimits(config.chaos(), metrics), offload);
    try {
      this.serverChannel = new ServerBootstrap()
          .group(boss, workers)
          .channel(NettyTransport.serverChannel())
          .option(ChannelOption.SO_BACKLOG, 4096)
          .option(ChannelOption.SO_REUSEADDR, true)
          .handler(new AcceptBackoff())
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
              new WriteBufferWaterMark(32 * 1024, 64 * 1024))
          .childHandler(new ServerInitializer(config, router, dispatcher, state, channels, offload,
              metrics))
          .bind(config.host(), config.port())
          .sync()
          .channel();
    } catch (RuntimeException | InterruptedException e) {
      shutdownGroups();
      throw e;
    }
    log.debug("file descriptors: {} (each connection holds one)", FileDescriptors.describe());
  }

  /**
   * The opened store, or null when none is configured or nothing would use it (then record is
   * refused and replay reads only the fixture sets); closes {@code fixtureStore} on failure.
   */
  private static StoreAccess openStore(ServerConfig config, StoreAccess fixtureStore) {
    ModeSettings modes = config.modes();
    if (modes.storeDir() == null || !usesStore(config)) {
      return null;
    }
    StoreAccess access = StoreAccess.rocksDb(modes.storeDir());
    try {
      access.openNow();
      return access;
    } catch (RuntimeException e) {
      access.close();
      if (fixtureStore != null) {
        fixtureStore.close();
      }
      throw e;
    }
  }

  /**
   * Whether a request could read or write the store: replay without fixture sets reads it; with
   * an upstream, record writes it, asked for as the default mode, by a header, or by on-miss. A
   * server that only synthesizes or passes through, or replays fixture sets, neither creates nor
   * locks the store, so another process may use it.
   */
  private static boolean usesStore(ServerConfig config) {
    ModeSettings modes = config.modes();
    Predicate<Mode> reachable = m -> config.mode() == m || modes.headerModes().contains(m);
    boolean reads = modes.replay().fixtures().isEmpty() && reachable.test(Mode.REPLAY);
    boolean writes = !modes.upstreams().isEmpty() && (reachable.test(Mode.RECORD)
        || (reachable.test(Mode.REPLAY) && modes.replay().onMiss().equals("record")));
    return reads || writes;
  }

  /**
   * Binds and starts serving; throws when the address cannot be bound, or the store cannot be
   * opened (a {@link io.llmsim.store.StoreException}, such as for a store another process holds).
   */
  public static LlmSimServer start(ServerConfig config) throws InterruptedException {
    return new LlmSimServer(config);
  }

  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  public java.net.URI baseUri() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    }
    return java.net.URI.create("http://" + host + ":" + port());
  }

  public ServerConfig config() {
    return config;
  }

  /** Faults injected so far, by kind, provider and model (for the metrics endpoint). */
  public FaultCounter faultCounter() {
    return faultCounter;
  }

  /** The counters {@code GET /metrics} reports. */
  public ServerMetrics metrics() {
    return metrics;
  }

  /** The exchange store, or null when none is configured. */
  public StoreAccess store() {
    return store;
  }

  /**
   * In strict replay mode, what was left unmatched: so far while running, the final report once
   * closed. Null when strict mode is off. Blocks while the store lists its recordings.
   */
  public synchronized StrictReport strictReport() {
    if (closed || replayer == null) {
      return finalReport; // the store's thread is gone once closed
    }
    return replayer.report().join();
  }

  /** Answers being written right now. */
  public int inFlight() {
    return state.inFlight();
  }

  /** Stops gracefully within the configured grace period. */
  @Override
  public void close() {
    close(config.shutdownGrace());
  }

  public synchronized void close(Duration grace) {
    if (closed) {
      return;
    }
    closed = true;
    state.beginShutdown();
    serverChannel.close().syncUninterruptibly();
    channels.forEach(ch -> ch.pipeline().fireUserEventTriggered(ApiHandler.SHUTDOWN));
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      while (state.inFlight() > 0 && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (state.inFlight() > 0) {
      log.warn("grace period over: closing {} answers still in flight", state.inFlight());
    }
    channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    logStrictReport();
    shutdownGroups();
  }

  /** Takes the final strict report while the store is still open, and logs it. */
  private void logStrictReport() {
    if (replayer == null) {
      return;
    }
    try {
      finalReport = replayer.report().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("could not take the strict replay report", e);
      return;
    }
    if (finalReport == null) {
      return;
    }
    if (finalReport.isClean()) {
      log.info(finalReport.summary());
    } else {
      log.warn(finalReport.summary());
    }
  }

  private void shutdownGroups() {
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    offload.shutdownNow();
    if (store != null) {
      store.close(); // after the loops: recordings of the last answers are queued by then
    }
    if (fixtureStore != null) {
      fixtureStore.close();
    }
    boss.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    workers.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
