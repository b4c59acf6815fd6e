package io.llmsim.core.fault;

import io.llmsim.core.api.ApiKeys;
import io.llmsim.core.api.ModeResolver;
import io.llmsim.core.api.Routed;
import io.llmsim.core.error.ApiError;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Collectors;

/**
 * The faults the config decides: which a request's header may ask for, and the rules that inject
 * faults into requests that ask for none. Precedence: the header's fault, else the first rule that
 * matches, else none.
 *
 * <p>Repeatable chaos: with a seed, whether a rule strikes is drawn from (seed, the rule's index,
 * how many requests the rule has matched so far), so the same sequence of requests gets the same
 * faults on every run. Concurrent requests matched by one rule take their turns in arrival order,
 * which a client sending in parallel does not control; send in sequence for an exact replay.
 * Thread-safe and lock-free: one atomic counter per rule.
 */
public final class FaultRules {
  public static final FaultRules NONE = new FaultRules(List.of(), null, EnumSet.allOf(FaultKind.class));

  private final List<FaultRule> rules;
  private final Long seed;
  private final Set<FaultKind> headerFaults;
  private final AtomicLongArray matched;
  private final boolean needsKey;

  /**
   * @param rules in order: the first that matches a request applies
   * @param seed makes the draws repeatable; null draws at random
   * @param headerFaults the faults a request's header may ask for
   */
  public FaultRules(List<FaultRule> rules, Long seed, Set<FaultKind> headerFaults) {
    this.rules = List.copyOf(rules);
    this.seed = seed;
    this.headerFaults = headerFaults.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(headerFaults));
    this.matched = new AtomicLongArray(this.rules.size());
    this.needsKey = this.rules.stream().anyMatch(FaultRule::needsKey);
  }

  public List<FaultRule> rules() {
    return rules;
  }

  public Long seed() {
    return seed;
  }

  public Set<FaultKind> headerFaults() {
    return headerFaults;
  }

  /**
   * The 400 for a header that asks for a fault the server does not let requests choose, or null
   * when the header's fault (or its absence) is allowed.
   */
  public ApiError refusal(Routed routed) {
    Fault asked = routed.options().fault();
    if (asked == null || headerFaults.contains(asked.kind())) {
      return null;
    }
    String allowed = headerFaults.isEmpty() ? "none" : headerFaults.stream().sorted()
        .map(FaultKind::token).collect(Collectors.joining(", "));
    return ModeResolver.bad("x-simulation-mode: fault '" + asked.kind().token()
        + "' may not be chosen by a request on this server; allowed: " + allowed).error();
  }

  /**
   * The request with the fault it gets: unchanged when its header names a fault or no rule
   * matches; otherwise the first matching rule's fault when the draw strikes (as a certain
   * fault, so it is not drawn again), or no fault when it spares the request.
   */
  public Routed apply(Routed routed) {
    if (rules.isEmpty() || routed.options().fault() != null) {
      return routed;
    }
    String keyHash = needsKey ? ApiKeys.hashOf(routed.original()) : null;
    for (int i = 0; i < rules.size(); i++) {
      FaultRule rule = rules.get(i);
      if (!rule.matches(routed, keyHash)) {
        continue;
      }
      long turn = matched.getAndIncrement(i);
      Fault fault = rule.fault();
      if (!strikes(fault.rate(), i, turn)) {
        return routed;
      }
      Fault certain = new Fault(fault.kind(), 1.0, fault.after(), fault.retryAfterSeconds(),
          fault.hangMillis());
      return new Routed(routed.request(), routed.original(), routed.route(),
          routed.options().withFault(certain));
    }
    return routed;
  }

  private boolean strikes(double rate, int ruleIndex, long turn) {
    if (rate >= 1) {
      return true;
    }
    if (rate <= 0) {
      return false;
    }
    double draw = seed == null ? ThreadLocalRandom.current().nextDouble()
        : draw(seed, ruleIndex, turn);
    return draw < rate;
  }

  /** A uniform number in [0, 1) that depends only on its arguments (SplitMix64 mixing). */
  static double draw(long seed, int ruleIndex, long turn) {
    long h = mix(seed ^ 0x6661756c7472756cL); // "faultrul": apart from the synthesizer's draws
    h = mix(h + ruleIndex);
    h = mix(h + turn);
    return (h >>> 11) * 0x1.0p-53;
  }

  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
