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
   * count from {@code arrivalNanos} on its ticker. Never fails.
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
          + String.join(", ", settings.headerModes().stream().sorted().map(Mode::token).toList())));
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
        return forward(routed, mode == Mode.RECORD, loop, arrivalNanos);
      case REPLAY:
        if (replayer == null) {
          return refuse(routed, "x-simulation-mode: mode 'replay' needs a store or fixtures,"
              + " and this server has none; start it with --store or --fixtures");
        }
        return replayer.replay(routed).thenCompose(outcome -> outcome.hit()
            ? CompletableFuture.completedFuture(router.applyFaults(routed, outcome.plan()))
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
        return answer(routed, Mode.SYNTHESIZE, loop, arrivalNanos);
      case "passthrough":
        return forwarder == null ? CompletableFuture.completedFuture(missReport)
            : forward(routed, false, loop, arrivalNanos);
      case "record":
        return forwarder == null ? CompletableFuture.completedFuture(missReport)
            : forward(routed, true, loop, arrivalNanos);
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
