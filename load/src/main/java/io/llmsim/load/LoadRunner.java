package io.llmsim.load;

import io.llmsim.load.LoadReport.ErrorKind;
import io.llmsim.load.LoadReport.Percentiles;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Runs a closed-loop load against an http endpoint as described by {@link LoadOptions} and
 * returns a {@link LoadReport}.
 *
 * <p>Each of the {@code concurrency} virtual users owns one keep-alive connection, pinned to one
 * event loop: it writes a request, reads the full response (parsing SSE events as chunks arrive
 * when streaming) and writes the next. Everything about a connection, including the histograms of
 * its event loop, is touched only on that event loop; the histograms are merged at the end.
 * After an error the user goes on: on the same connection when the response was complete and
 * keep-alive, otherwise on a new connection (after a short pause when connecting failed).
 *
 * <p>Each sample is kept when the event it measures happens in the measured window: response
 * headers, TTFT, a token's gap and lateness when they arrive, a request (its count and
 * end-to-end time) when it completes. Rates are therefore not biased against long streams, but
 * the warmup should be longer than one request so that no kept request started cold. Requests
 * still in flight at the end are abandoned.
 *
 * <p>{@link #run()} blocks the calling thread for the whole run, so it must not be called from an
 * event loop. A runner can be run more than once; each run uses its own event loop group.
 */
public final class LoadRunner {
  /** Latencies above an hour are clamped; the histograms count microseconds. */
  private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
  /** Pause before retrying a failed connect, so a dead server is not hammered. */
  private static final long CONNECT_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  /** Period of the probe that measures how late the driver's own event loops run tasks. */
  private static final long PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** How often a shaped run moves its number of active users. */
  private static final long PATTERN_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final LoadOptions options;

  public LoadRunner(LoadOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** The options this runner was built with. */
  public LoadOptions options() {
    return options;
  }

  /**
   * Runs the load for {@code warmup + duration} and reports it. Connection failures, bad
   * statuses and timeouts are counted in the report, not thrown.
   *
   * @throws UnknownHostException if the target host cannot be resolved
   * @throws InterruptedException if the calling thread is interrupted; the run is stopped
   */
  public LoadReport run() throws UnknownHostException, InterruptedException {
    return run(null, interval -> { });
  }

  /**
   * Runs the load as {@link #run()} does, and every {@code interval} of the measured time (none
   * when null) tells {@code onInterval}, on the calling thread, what that interval saw; the report
   * lists the intervals too.
   */
  public LoadReport run(Duration interval, Consumer<LoadInterval> onInterval)
      throws UnknownHostException, InterruptedException {
    InetSocketAddress address =
        new InetSocketAddress(InetAddress.getByName(options.host()), options.port());
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(options.ioThreads(),
        new DefaultThreadFactory("llmsim-load"), NettyTransport.ioHandlerFactory());
    try {
      return new Run(address, group, interval, onInterval).execute();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  private static Histogram histogram() {
    return new Histogram(HIGHEST_MICROS, 3);
  }

  private static void recordNanos(Histogram histogram, long nanos) {
    histogram.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1_000)));
  }

  /** One run: the shared, immutable request parts and the connect limiter. */
  private final class Run {
    private final InetSocketAddress address;
    private final byte[] body;
    private final HttpHeaders headers;
    private final String uri;
    private final long timeoutNanos;
    private final long ttftNanos;
    private final long itlNanos;
    private final List<Worker> workers = new ArrayList<>();
    private final Queue<User> connectQueue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingConnects = new AtomicInteger();
    private final long startNanos;
    private final long warmupEndNanos;
    private final long endNanos;
    private volatile boolean stopping;
    /** Every user, by index; users at an index below {@link #activeUsers} send requests. */
    private final List<User> users = new ArrayList<>();
    private volatile int activeUsers;
    private final long intervalNanos;
    private final Consumer<LoadInterval> onInterval;
    private final List<LoadInterval> intervals = new ArrayList<>();

    Run(InetSocketAddress address, EventLoopGroup group, Duration interval,
        Consumer<LoadInterval> onInterval) {
      this.address = address;
      this.intervalNanos = interval == null ? 0 : Math.max(1, interval.toNanos());
      this.onInterval = onInterval;
      this.body = options.body().getBytes(StandardCharsets.UTF_8);
      this.uri = options.pathAndQuery();
      this.timeoutNanos = options.requestTimeout().toNanos();
      this.ttftNanos = options.expectedTtft() == null ? 0 : options.expectedTtft().toNanos();
      this.itlNanos = options.expectedItl() == null ? 0 : options.expectedItl().toNanos();
      // Built once and only read afterwards, so the event loops can share it.
      headers = new DefaultHttpHeaders();
      String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
      headers.set(HttpHeaderNames.HOST, host + ":" + options.port());
      headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
      headers.set(HttpHeaderNames.ACCEPT,
          options.streaming() ? "text/event-stream" : "application/json");
      headers.set(HttpHeaderNames.USER_AGENT, "llmsim-load");
      for (Map.Entry<String, String> h : options.headers().entrySet()) {
        headers.set(h.getKey(), h.getValue());
      }
      headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      for (EventExecutor executor : group) {
        workers.add(new Worker(this, (EventLoop) executor));
      }
      activeUsers = options.pattern().usersAt(Duration.ZERO); // the warm-up's
      for (int i = 0; i < options.concurrency(); i++) {
        Worker worker = workers.get(i % workers.size());
        User user = new User(this, worker, i);
        worker.users.add(user);
        users.add(user);
        if (i < activeUsers) {
          user.connecting = true;
          connectQueue.add(user);
        }
      }
      startNanos = System.nanoTime();
      warmupEndNanos = startNanos + options.warmup().toNanos();
      endNanos = warmupEndNanos + options.duration().toNanos();
    }

    LoadReport execute() throws InterruptedException {
      EventLoop first = workers.get(0).loop;
      long tick = options.connectInterval().toNanos();
      Future<?> ticker =
          first.scheduleAtFixedRate(this::connectBatch, 0, tick, TimeUnit.NANOSECONDS);
      for (Worker worker : workers) {
        worker.loop.execute(worker::startTimers);
      }
      try {
        long nextInterval = warmupEndNanos + intervalNanos;
        long left;
        while ((left = endNanos - System.nanoTime()) > 0) {
          long step = options.pattern().isSteady() ? left : Math.min(left, PATTERN_STEP_NANOS);
          if (intervalNanos > 0) {
            step = Math.min(step, Math.max(0, nextInterval - System.nanoTime()));
          }
          TimeUnit.NANOSECONDS.sleep(step);
          long now = System.nanoTime();
          follow(options.pattern().usersAt(Duration.ofNanos(Math.max(0, now - warmupEndNanos))));
          if (intervalNanos > 0 && now - nextInterval >= 0) {
            interval(now, nextInterval - intervalNanos);
            nextInterval += intervalNanos;
          }
        }
        long lastStart = nextInterval - intervalNanos;
        if (intervalNanos > 0 && endNanos - lastStart > intervalNanos / 10) {
          interval(System.nanoTime(), lastStart); // the last, shorter interval
        }
      } finally {
        stopping = true;
        ticker.cancel(false);
      }
      List<Future<Worker.Snapshot>> stops = new ArrayList<>();
      for (Worker worker : workers) {
        stops.add(worker.loop.submit(worker::stop));
      }
      List<Worker.Snapshot> snapshots = new ArrayList<>();
      for (Future<Worker.Snapshot> stop : stops) {
        try {
          snapshots.add(stop.get(30, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
          throw new IllegalStateException("event loop did not stop", e);
        }
      }
      return report(snapshots);
    }

    /**
     * Makes {@code target} users active: new ones start (connecting if they have no connection),
     * ones beyond it finish their request and then wait.
     */
    private void follow(int target) {
      int before = activeUsers;
      activeUsers = target;
      for (int i = before; i < target; i++) {
        User user = users.get(i);
        user.worker.loop.execute(user::activate);
      }
    }

    /** Collects and reports the interval that began at {@code fromNanos}. */
    private void interval(long now, long fromNanos) throws InterruptedException {
      List<Future<Worker.Tally>> tallies = new ArrayList<>();
      for (Worker worker : workers) {
        tallies.add(worker.loop.submit(worker::takeTally));
      }
      Histogram first = histogram();
      long requests = 0;
      long tokens = 0;
      long errors = 0;
      for (Future<Worker.Tally> future : tallies) {
        try {
          Worker.Tally tally = future.get(30, TimeUnit.SECONDS);
          first.add(tally.first());
          requests += tally.requests();
          tokens += tally.tokens();
          errors += tally.errors();
        } catch (ExecutionException | TimeoutException e) {
          throw new IllegalStateException("event loop did not report its interval", e);
        }
      }
      long until = Math.min(now, endNanos);
      LoadInterval interval = new LoadInterval((until - warmupEndNanos) / 1e9,
          (until - fromNanos) / 1e9, activeUsers, requests, tokens, errors,
          first.getValueAtPercentile(50), first.getValueAtPercentile(99));
      intervals.add(interval);
      onInterval.accept(interval);
    }

    /** Whether {@code nanos} falls in the measured window (after the warmup, before the end). */
    boolean inWindow(long nanos) {
      return nanos - warmupEndNanos >= 0 && endNanos - nanos >= 0;
    }

    /** Starts up to one batch of connects, keeping at most one batch outstanding. */
    private void connectBatch() {
      int budget = options.connectBatch() - pendingConnects.get();
      while (budget-- > 0 && !stopping) {
        User user = connectQueue.poll();
        if (user == null) {
          return;
        }
        pendingConnects.incrementAndGet();
        user.connect();
      }
    }

    private LoadReport report(List<Worker.Snapshot> snapshots) {
      Histogram headersH = histogram();
      Histogram ttftH = histogram();
      Histogram itlH = histogram();
      Histogram latenessH = histogram();
      Histogram e2eH = histogram();
      Histogram lagH = histogram();
      long requests = 0;
      long tokens = 0;
      long minTokens = Long.MAX_VALUE;
      long maxTokens = 0;
      long connects = 0;
      long inFlight = 0;
      Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
      for (Worker.Snapshot s : snapshots) {
        headersH.add(s.headers);
        ttftH.add(s.ttft);
        itlH.add(s.itl);
        latenessH.add(s.lateness);
        e2eH.add(s.e2e);
        lagH.add(s.loopLag);
        requests += s.requests;
        tokens += s.tokens;
        minTokens = Math.min(minTokens, s.minTokens);
        maxTokens = Math.max(maxTokens, s.maxTokens);
        connects += s.connects;
        inFlight += s.inFlight;
        for (ErrorKind kind : ErrorKind.values()) {
          errors.merge(kind, s.errors[kind.ordinal()], Long::sum);
        }
      }
      return new LoadReport(options.concurrency(), options.streaming(), options.duration(),
          options.warmup(), requests, errors, tokens, requests == 0 ? 0 : minTokens, maxTokens,
          connects, inFlight, Percentiles.of(headersH), Percentiles.of(ttftH),
          Percentiles.of(itlH), Percentiles.of(latenessH), Percentiles.of(e2eH),
          Percentiles.of(lagH), intervals);
    }
  }

  /** The per-event-loop state: its users and histograms, only touched on its loop. */
  private final class Worker {
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final List<User> users = new ArrayList<>();
    private final Histogram headers = histogram();
    private final Histogram ttft = histogram();
    private final Histogram itl = histogram();
    private final Histogram lateness = histogram();
    private final Histogram e2e = histogram();
    private final Histogram loopLag = histogram();
    private final long[] errors = new long[ErrorKind.values().length];
    private long requests;
    private long tokens;
    private long minTokens = Long.MAX_VALUE;
    private long maxTokens;
    private long connects;
    private boolean stopped;
    /** This reporting interval's share: what {@link #takeTally} hands over and resets. */
    private Histogram tallyFirst = histogram();
    private long tallyRequests;
    private long tallyTokens;
    private long tallyErrors;
    private Future<?> sweep;
    private Future<?> probe;
    private long probeDue;
    private final Run run;

    Worker(Run run, EventLoop loop) {
      this.run = run;
      this.loop = loop;
      this.bootstrap = new Bootstrap()
          .group(loop)
          .channel(NettyTransport.socketChannel())
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS);
    }

    void error(ErrorKind kind) {
      if (!stopped) {
        errors[kind.ordinal()]++;
        tallyErrors++;
      }
    }

    /** The interval so far, handed over; the next one starts empty. */
    record Tally(Histogram first, long requests, long tokens, long errors) {}

    Tally takeTally() {
      Tally tally = new Tally(tallyFirst, tallyRequests, tallyTokens, tallyErrors);
      tallyFirst = histogram();
      tallyRequests = 0;
      tallyTokens = 0;
      tallyErrors = 0;
      return tally;
    }

    void startTimers() {
      // How late a 1 ms timer fires: when this is high, the driver (not the server) is the one
      // making tokens look late. Fixed delay, so each wake-up is measured on its own rather
      // than accumulating a backlog of missed periods.
      probeDue = System.nanoTime() + PROBE_NANOS;
      probe = loop.scheduleWithFixedDelay(() -> {
        long now = System.nanoTime();
        if (run.inWindow(now)) {
          recordNanos(loopLag, now - probeDue);
        }
        probeDue = now + PROBE_NANOS;
      }, PROBE_NANOS, PROBE_NANOS, TimeUnit.NANOSECONDS);
      startSweep();
    }

    /** Times out overdue requests; a sweep is cheaper than a timer per request. */
    private void startSweep() {
      long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
          Math.min(TimeUnit.MILLISECONDS.toNanos(250), options.requestTimeout().toNanos() / 4));
      sweep = loop.scheduleAtFixedRate(() -> {
        long now = System.nanoTime();
        for (User user : users) {
          if (user.inFlight && now - user.deadlineNanos > 0) {
            user.fail(ErrorKind.TIMEOUT);
          }
        }
      }, period, period, TimeUnit.NANOSECONDS);
    }

    Snapshot stop() {
      stopped = true;
      if (sweep != null) {
        sweep.cancel(false);
        probe.cancel(false);
      }
      long inFlight = 0;
      for (User user : users) {
        if (user.inFlight) {
          inFlight++;
          user.inFlight = false;
        }
        user.close();
      }
      return new Snapshot(headers.copy(), ttft.copy(), itl.copy(), lateness.copy(), e2e.copy(),
          loopLag.copy(), errors.clone(), requests, tokens, minTokens, maxTokens, connects,
          inFlight);
    }

    /** A copy of a worker's results, handed to the thread that builds the report. */
    private final class Snapshot {
      final Histogram headers;
      final Histogram ttft;
      final Histogram itl;
      final Histogram lateness;
      final Histogram e2e;
      final Histogram loopLag;
      final long[] errors;
      final long requests;
      final long tokens;
      final long minTokens;
      final long maxTokens;
      final long connects;
      final long inFlight;

      Snapshot(Histogram headers, Histogram ttft, Histogram itl, Histogram lateness,
          Histogram e2e, Histogram loopLag, long[] errors, long requests, long tokens,
          long minTokens, long maxTokens, long connects, long inFlight) {
        this.headers = headers;
        this.ttft = ttft;
        this.itl = itl;
        this.lateness = lateness;
        this.e2e = e2e;
        this.loopLag = loopLag;
        this.errors = errors;
        this.requests = requests;
        this.tokens = tokens;
        this.minTokens = minTokens;
        this.maxTokens = maxTokens;
        this.connects = connects;
        this.inFlight = inFlight;
      }
    }
  }

  /** One closed-loop virtual user: a connection and its current request. */
  private final class User {
    private final Run run;
    private final Worker worker;
    /** Active while below the run's {@code activeUsers}. */
    private final int index;
    /** Waiting in the connect queue or for its connect to finish. */
    private boolean connecting;
    private final Bootstrap bootstrap;
    private final SseParser parser = new SseParser(this::onEvent);
    private Channel channel;
    private boolean inFlight;
    private long writeNanos;
    private long headersNanos;
    private long deadlineNanos;
    private long chunkNanos;
    private int status;
    private boolean keepAlive;
    private boolean sawDone;
    private long lastTokenNanos;
    private int tokens;

    User(Run run, Worker worker, int index) {
      this.run = run;
      this.worker = worker;
      this.index = index;
      this.bootstrap = worker.bootstrap.clone().remoteAddress(run.address)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new HttpClientCodec(), new ResponseHandler(User.this));
            }
          });
    }

    /** Called by the connect limiter, on any thread; the listener runs on this user's loop. */
    void connect() {
      bootstrap.connect().addListener((ChannelFuture f) -> {
        run.pendingConnects.decrementAndGet();
        connecting = false;
        if (worker.stopped) {
          f.channel().close();
        } else if (!f.isSuccess()) {
          worker.error(ErrorKind.CONNECT);
          worker.loop.schedule(this::reconnect, CONNECT_RETRY_NANOS, TimeUnit.NANOSECONDS);
        } else {
          channel = f.channel();
          worker.connects++;
          if (active()) {
            send();
          }
        }
      });
    }

    /** Queues a connect; an inactive user stays without a connection until it is active. */
    void reconnect() {
      if (!worker.stopped && active() && !connecting) {
        connecting = true;
        run.connectQueue.add(this);
      }
    }

    boolean active() {
      return index < run.activeUsers;
    }

    /** The pattern made this user active: it connects, or sends on its idle connection. */
    void activate() {
      if (worker.stopped || !active()) {
        return;
      }
      if (channel == null) {
        reconnect();
      } else if (!inFlight) {
        send();
      }
    }

    void send() {
      if (worker.stopped || channel == null) {
        return;
      }
      tokens = 0;
      sawDone = false;
      status = 0;
      headersNanos = 0;
      keepAlive = true;
      parser.reset();
      // Wrapping the shared bytes allocates no buffer memory, so nothing can leak.
      DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
          HttpMethod.POST, run.uri, Unpooled.wrappedBuffer(run.body), run.headers,
          EmptyHttpHeaders.INSTANCE);
      inFlight = true;
      writeNanos = System.nanoTime();
      deadlineNanos = writeNanos + run.timeoutNanos;
      // A failed write closes the channel; channelInactive then counts the error.
      channel.writeAndFlush(request).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    void onHeaders(long now, HttpResponse response) {
      headersNanos = now;
      if (run.inWindow(now)) {
        recordNanos(worker.headers, now - writeNanos);
      }
      status = response.status().code();
      keepAlive = HttpUtil.isKeepAlive(response);
    }

    void onContent(long now, HttpContent content) {
      if (options.streaming() && status == 200) {
        chunkNanos = now;
        parser.feed(content.content());
      }
    }

    private void onEvent(byte[] data, int length) {
      if (sawDone) {
        return;
      }
      if (SseParser.isDone(data, length)) {
        sawDone = true;
      } else if (SseParser.isToken(data, length)) {
        int j = tokens++;
        long now = chunkNanos;
        if (run.inWindow(now)) {
          worker.tokens++;
          worker.tallyTokens++;
          if (j == 0) {
            recordNanos(worker.ttft, now - writeNanos);
            recordNanos(worker.tallyFirst, now - writeNanos);
          } else {
            recordNanos(worker.itl, now - lastTokenNanos);
          }
          if (options.measuresLateness()) {
            recordNanos(worker.lateness, now - (writeNanos + run.ttftNanos + j * run.itlNanos));
          }
        }
        lastTokenNanos = now;
      }
    }

    void onEnd(long now) {
      inFlight = false;
      if (status != 200) {
        worker.error(ErrorKind.STATUS);
      } else if (options.streaming() && !sawDone) {
        worker.error(ErrorKind.INCOMPLETE_STREAM);
      } else if (run.inWindow(now)) {
        worker.requests++;
        worker.tallyRequests++;
        recordNanos(worker.e2e, now - writeNanos);
        if (options.streaming()) {
          worker.minTokens = Math.min(worker.minTokens, tokens);
          worker.maxTokens = Math.max(worker.maxTokens, tokens);
        } else {
          recordNanos(worker.tallyFirst, now - writeNanos);
        }
      }
      if (!keepAlive) {
        close();
      } else if (active()) {
        send();
      }
    }

    /** Counts an error for the current request, if any, and drops the connection. */
    void fail(ErrorKind kind) {
      if (inFlight) {
        inFlight = false;
        worker.error(kind);
      }
      close();
    }

    void onClosed() {
      channel = null;
      if (worker.stopped) {
        return;
      }
      if (inFlight) {
        inFlight = false;
        if (headersNanos == 0) {
          worker.error(ErrorKind.CONNECTION_CLOSED);
        } else if (status != 200) {
          worker.error(ErrorKind.STATUS);
        } else if (options.streaming()) {
          worker.error(ErrorKind.INCOMPLETE_STREAM);
        } else {
          worker.error(ErrorKind.CONNECTION_CLOSED);
        }
      }
      reconnect();
    }

    void close() {
      if (channel != null) {
        channel.close();
      }
    }
  }

  /** Feeds a connection's responses to its user; one instance per channel. */
  private static final class ResponseHandler extends SimpleChannelInboundHandler<HttpObject> {
    private final User user;

    ResponseHandler(User user) {
      this.user = user;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (!user.inFlight || ctx.channel() != user.channel) {
        return; // a late response after a timeout or the end of the run
      }
      long now = System.nanoTime();
      if (msg.decoderResult().isFailure()) {
        user.fail(ErrorKind.IO);
        return;
      }
      if (msg instanceof HttpResponse response) {
        user.onHeaders(now, response);
      }
      if (msg instanceof HttpContent content) {
        user.onContent(now, content);
        if (msg instanceof LastHttpContent) {
          user.onEnd(now);
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (ctx.channel() == user.channel) {
        user.onClosed();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // Counted as an I/O error of the request in flight; the user reconnects on close.
      if (ctx.channel() == user.channel) {
        user.fail(ErrorKind.IO);
      } else {
        ctx.close();
      }
    }
  }
}
