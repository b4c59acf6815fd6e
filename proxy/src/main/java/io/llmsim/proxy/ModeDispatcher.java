package io.llmsim.proxy;

import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.ModeResolver;
import io.llmsim.core.api.Routed;
import io.llmsim.core.api.Router;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.fault.Fault;
import io.llmsim.core.fault.FaultKind;
import io.llmsim.core.generate.BudgetExceededException;
import io.llmsim.core.generate.GenerationBudget;
import io.llmsim.core.mode.Mode;
import io.llmsim.core.plan.FrameSource;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.proxy.metrics.ServerMetrics;
import io.llmsim.proxy.record.Scope;
import io.llmsim.proxy.replay.Replayer;
import io.llmsim.proxy.upstream.Forwarder;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers a request in its mode: the header's, else the server's default. Synthesis is immediate,
 * unless the answer is too big for the event loop's small budget: then it is computed off the
 * loop. Record and passthrough forward to the upstream, replay reads the store, so those complete
 * later. Every outcome is a plan in the endpoint's own shape, including "this mode is not
 * available".
 */
final class ModeDispatcher {
  /** The admin endpoint with the strict replay report. */
  static final String REPLAY_REPORT_PATH = "/llmsim/replay/report";
  /** Big answers being computed off the loop at once; more are refused (each may take ~1 s). */
  static final int MAX_OFF_LOOP_SYNTHESES = 32;

  private final Router router;
  private final Mode defaultMode;
  private final ModeSettings settings;
  private final Forwarder forwarder;
  private final Replayer replayer;
  private final FaultsAndLimits faultsAndLimits;
  private final Executor offload;
  private final AtomicInteger offLoopSyntheses = new AtomicInteger();

  /**
   * @param forwarder null when no upstream is configured (record and passthrough unavailable)
   * @param replayer null when replay is unavailable
   */
  ModeDispatcher(Router router, Mode defaultMode, ModeSettings settings, Forwarder forwarder,
      Replayer replayer) {
    this(router, defaultMode, settings, forwarder, replayer,
        new FaultsAndLimits(ChaosSettings.NONE,
            new ServerMetrics(router.faultCounter(), () -> 0)), ForkJoinPool.commonPool());
  }

  /**
   * @param faultsAndLimits config fault rules, the rate limiter and the metrics counters
   * @param offload where answers too big for the event loop are synthesized
   */
  ModeDispatcher(Router router, Mode defaultMode, ModeSettings settings, Forwarder forwarder,
      Replayer replayer, FaultsAndLimits faultsAndLimits, Executor offload) {
    this.router = router;
    this.defaultMode = defaultMode;
    this.settings = settings;
    this.forwarder = forwarder;
    this.replayer = replayer;
    this.faultsAndLimits = faultsAndLimits;
    this.offload = offload;
  }

  /**
   * The answer to {@code request}; forwarded requests run on {@code loop}, and their plans' offsets
   * count from {@code arrivalNanos} on its ticker (a plan read from the store is delayed by the
   * read, so its own offsets count from when it was ready). Never fails.
   */
  CompletableFuture<ResponsePlan> answer(ApiRequest request, EventLoop loop, long arrivalNanos) {
    if (ServerMetrics.isMetricsRequest(request.method(), request.path())) {
      return CompletableFuture.completedFuture(
          faultsAndLimits.metrics().answer(request.header("accept")));
    }
    if (replayer != null && request.path().equals(REPLAY_REPORT_PATH)
        && request.method().equals("GET")) {
      return replayReport(request);
    }
    Router.Resolution resolution = router.resolve(request);
    if (resolution.answer() != null) {
      faultsAndLimits.metrics().countUnrouted(resolution.answer().status());
      return CompletableFuture.completedFuture(resolution.answer());
    }
    Routed routed = resolution.routed();
    Mode asked = routed.options().mode();
    if (asked != null && !settings.headerModes().contains(asked)) {
      return faultsAndLimits.counted(routed, asked, refuse(routed, "x-simulation-mode: mode '"
          + asked.token() + "' may not be chosen by a request on this server; allowed: "
          + allowedModes()));
    }
    // on-miss names a mode too: a withheld one may not be reached through replay's miss either.
    Mode onMiss = onMissMode(routed.options().onMiss());
    if (onMiss != null && !settings.headerModes().contains(onMiss)) {
      return faultsAndLimits.counted(routed, asked, refuse(routed, "x-simulation-mode: on-miss '"
          + onMiss.token() + "' may not be chosen by a request on this server; allowed modes: "
          + allowedModes()));
    }
    // Checked here, once, so recording and replay can trust the name.
    String badScope = Scope.problem(Scope.of(routed, null));
    if (badScope != null) {
      return faultsAndLimits.counted(routed, asked,
          CompletableFuture.completedFuture(routed.dialect().error(Scope.badHeader(badScope))));
    }
    Mode mode = asked != null ? asked : defaultMode;
    return faultsAndLimits.answer(routed, mode, r -> answer(r, mode, loop, arrivalNanos));
  }

  private CompletableFuture<ResponsePlan> answer(Routed routed, Mode mode, EventLoop loop,
      long arrivalNanos) {
    switch (mode) {
      case SYNTHESIZE:
        return synthesize(routed);
      case RECORD:
      case PASSTHROUGH:
        if (forwarder == null) {
          return refuse(routed, "x-simulation-mode: mode '" + mode.token()
              + "' needs an upstream, and this server has none; start it with --upstream");
        }
        if (mode == Mode.RECORD && !forwarder.canRecord()) {
          return refuse(routed, "x-simulation-mode: mode 'record' needs a store, and this"
              + " server has none; start it with --store");
        }
        return forward(routed, mode == Mode.RECORD, loop, arrivalNanos);
      case REPLAY:
        if (replayer == null) {
          return refuse(routed, "x-simulation-mode: mode 'replay' needs a store or fixtures,"
              + " and this server has none; start it with --store or --fixtures");
        }
        return replayer.replay(routed).thenCompose(outcome -> outcome.hit()
            ? CompletableFuture.completedFuture(
                readyNow(router.applyFaults(routed, outcome.plan()), loop, arrivalNanos))
            : onMiss(routed, outcome.plan(), loop, arrivalNanos));
      default:
        throw new IllegalStateException("unhandled mode " + mode);
    }
  }

  /**
   * Synthesizes on the calling thread within the event loop's budget (almost every answer fits),
   * else again off the loop with the full budget: the seed makes the second run give the same
   * answer the first would have.
   */
  private CompletableFuture<ResponsePlan> synthesize(Routed routed) {
    try {
      return CompletableFuture.completedFuture(
          GenerationBudget.onLoop(() -> router.synthesize(routed)));
    } catch (BudgetExceededException e) {
      if (offLoopSyntheses.incrementAndGet() > MAX_OFF_LOOP_SYNTHESES) {
        offLoopSyntheses.decrementAndGet();
        return CompletableFuture.completedFuture(routed.dialect().error(ApiError.of(
            ApiError.Kind.UNAVAILABLE, "Too many large answers are being synthesized at once;"
                + " retry shortly.")));
      }
      try {
        return CompletableFuture.supplyAsync(() -> router.synthesize(routed), offload)
            .whenComplete((plan, failure) -> offLoopSyntheses.decrementAndGet());
      } catch (RejectedExecutionException stopping) {
        offLoopSyntheses.decrementAndGet();
        return CompletableFuture.failedFuture(stopping);
      }
    }
  }

  private CompletableFuture<ResponsePlan> onMiss(Routed routed, ResponsePlan missReport,
      EventLoop loop, long arrivalNanos) {
    String onMiss = routed.options().onMiss() != null
        ? routed.options().onMiss() : settings.replay().onMiss();
    switch (onMiss) {
      case "synthesize":
        return answer(routed, Mode.SYNTHESIZE, loop, arrivalNanos)
            .thenApply(plan -> readyNow(plan, loop, arrivalNanos));
      case "passthrough":
        return forwarder == null ? CompletableFuture.completedFuture(missReport)
            : forward(routed, false, loop, arrivalNanos);
      case "record":
        return forwarder == null ? CompletableFuture.completedFuture(missReport)
            : answer(routed, Mode.RECORD, loop, arrivalNanos);
      default:
        return CompletableFuture.completedFuture(missReport);
    }
  }

  /**
   * Forwards, with the request's fault: one that replaces the whole answer (an error, a timeout)
   * is answered here without troubling the provider (in record mode it would cost money and
   * record nothing useful); one that alters a stream is applied to the live answer.
   */
  private CompletableFuture<ResponsePlan> forward(Routed routed, boolean record, EventLoop loop,
      long arrivalNanos) {
    Fault fault = routed.options().fault();
    if (fault != null && replacesAnswer(fault)) {
      ResponsePlan placeholder = new ResponsePlan(200, List.of(), true, 0, FrameSource.empty());
      ResponsePlan faulted = router.applyFaults(routed, placeholder);
      if (faulted != placeholder) {
        return CompletableFuture.completedFuture(faulted);
      }
      return forwarder.forward(routed, record, loop, arrivalNanos); // the draw spared this request
    }
    return forwarder.forward(routed, record, loop, arrivalNanos)
        .thenApply(plan -> router.applyFaults(routed, plan));
  }

  /**
   * A plan built after a store read, timed from now rather than from the request's arrival: a
   * slow read (a cold store, a busy disk) then delays the whole answer instead of compressing it,
   * as frames that came due meanwhile would all go out at once. Live plans (forwarded) keep the
   * arrival as their origin: their frames are stamped as they arrive from the upstream.
   */
  private static ResponsePlan readyNow(ResponsePlan plan, EventLoop loop, long arrivalNanos) {
    return plan.delayedBy(loop.ticker().nanoTime() - arrivalNanos);
  }

  private String allowedModes() {
    return String.join(", ", settings.headerModes().stream().sorted().map(Mode::token).toList());
  }

  /** The mode an {@code on-miss} value falls back to; null for none ({@code error}, absent). */
  private static Mode onMissMode(String onMiss) {
    return onMiss == null || onMiss.equals("error") ? null : Mode.fromToken(onMiss);
  }

  private CompletableFuture<ResponsePlan> replayReport(ApiRequest request) {
    return replayer.report().thenApply(report -> report == null
        ? router.error(request, ApiError.notFound(
            "The replay report is kept in strict mode only; start replay with --strict.",
            "strict_mode_off"))
        : ResponsePlan.json(200, List.of(Map.entry("content-type", "application/json")),
            report.toJson()));
  }

  private static boolean replacesAnswer(Fault fault) {
    return (fault.kind().isError() && fault.after() == 0)
        || fault.kind() == FaultKind.TIMEOUT;
  }

  private static CompletableFuture<ResponsePlan> refuse(Routed routed, String message) {
    ApiError error = ModeResolver.bad(message).error();
    return CompletableFuture.completedFuture(routed.dialect().error(error));
  }
}
