package io.llmsim.core.generate;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What one synthesized answer may cost: bytes and JSON values produced, nesting, work steps and
 * wall time, counted over the whole request (every choice, every prompt, every discarded attempt).
 * Generators charge it as they go and stop with {@link BudgetExceededException} naming the limit,
 * which the endpoint answers with a 400.
 *
 * <p>The limits follow what a real provider can answer: no model emits more than about 128,000
 * output tokens (gpt-5's {@code max_output_tokens}; Claude and Gemini stop at 64k), so no answer
 * needs more JSON values than that, nor more bytes than 8 per token; OpenAI's structured outputs
 * allow 10 levels of nesting, so 64 is generous.
 *
 * <p>Synthesis starts on the event loop with {@link #inline} limits, a few milliseconds' work; an
 * answer that needs more is computed again off the loop with the full limits ({@link #onLoop}).
 * Not thread-safe: one per request.
 */
public final class GenerationBudget {
  /** The largest answer a provider gives: 128,000 output tokens at 8 bytes each, rounded up. */
  public static final long MAX_BYTES = 1L << 20;
  /** One JSON value (or one choice) per output token at most. */
  public static final long MAX_NODES = 131_072;
  /** Nesting of JSON values, regex groups and schemas checked. */
  public static final int MAX_DEPTH = 64;
  /** Work: regex characters examined, values generated and checked (~0.5 s on one core). */
  public static final long MAX_STEPS = 50_000_000;
  /** A backstop for work no counter foresaw, in CPU time (wall time would punish a busy host). */
  public static final long MAX_NANOS = 2_000_000_000L;

  /** Limits on the event loop: answers that fit cost well under a millisecond or two. */
  static final long INLINE_BYTES = 64 * 1024;
  static final long INLINE_NODES = 4_096;
  static final long INLINE_STEPS = 200_000;
  static final long INLINE_NANOS = 3_000_000L;

  /** Set while a request is synthesized on an event loop: its budgets get the inline limits. */
  private static final ThreadLocal<Boolean> ON_LOOP = ThreadLocal.withInitial(() -> false);
  /** Steps between clock reads. */
  private static final int CLOCK_EVERY = 4096;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean CPU_CLOCK = THREADS.isCurrentThreadCpuTimeSupported();

  /** Which limit an answer ran into. */
  public enum Limit {
    BYTES("bytes", "bytes of generated content", MAX_BYTES),
    NODES("values", "generated JSON values and choices", MAX_NODES),
    DEPTH("depth", "levels of nesting", MAX_DEPTH),
    STEPS("work", "steps of generation work (regular-expression matching, retries)", MAX_STEPS),
    TIME("time", "milliseconds of generation (CPU) time", MAX_NANOS / 1_000_000);

    private final String token;
    private final String what;
    private final long max;

    Limit(String token, String what, long max) {
      this.token = token;
      this.what = what;
      this.max = max;
    }

    /** Short name, as in the docs' table. */
    public String token() {
      return token;
    }

    public long max() {
      return max;
    }

    String describe() {
      return String.format(java.util.Locale.ROOT, "%,d %s", max, what);
    }
  }

  private final boolean inline;
  private final long maxBytes;
  private final long maxNodes;
  private final long maxSteps;
  private final long deadline;
  private long bytes;
  private long nodes;
  private long steps;
  private int untilClock = CLOCK_EVERY;

  private GenerationBudget(boolean inline) {
    this.inline = inline;
    this.maxBytes = inline ? INLINE_BYTES : MAX_BYTES;
    this.maxNodes = inline ? INLINE_NODES : MAX_NODES;
    this.maxSteps = inline ? INLINE_STEPS : MAX_STEPS;
    this.deadline = now() + (inline ? INLINE_NANOS : MAX_NANOS);
  }

  /** A fresh budget for one request: the inline limits while on an event loop, else the full. */
  public static GenerationBudget forRequest() {
    return new GenerationBudget(ON_LOOP.get());
  }

  /**
   * Runs {@code synthesis} with the inline limits. Throws {@link BudgetExceededException} with
   * {@link BudgetExceededException#retryOffLoop()} when the answer needs the full limits.
   */
  public static <T> T onLoop(Supplier<T> synthesis) {
    boolean outer = ON_LOOP.get();
    ON_LOOP.set(true);
    try {
      return synthesis.get();
    } finally {
      ON_LOOP.set(outer);
    }
  }

  /** Counts {@code n} bytes of output. */
  public void bytes(long n) {
    bytes += n;
    if (bytes > maxBytes) {
      throw exceeded(Limit.BYTES);
    }
    step(1);
  }

  /** Counts one generated value (or one choice). */
  public void node() {
    if (++nodes > maxNodes) {
      throw exceeded(Limit.NODES);
    }
    step(1);
  }

  /** Checks a nesting depth: of a value, a regular expression's groups, a schema. */
  public void depth(int level) {
    if (level > MAX_DEPTH) {
      throw exceeded(Limit.DEPTH); // the same on and off the loop: no point in trying again
    }
  }

  /** Counts {@code n} steps of work; reads the clock now and then. */
  public void step(long n) {
    steps += n;
    if (steps > maxSteps) {
      throw exceeded(Limit.STEPS);
    }
    untilClock -= (int) Math.min(n, CLOCK_EVERY);
    if (untilClock <= 0) {
      untilClock = CLOCK_EVERY;
      if (now() - deadline > 0) {
        throw exceeded(Limit.TIME);
      }
    }
  }

  /**
   * Whether {@code pattern} occurs in {@code text}, charging a step per character the matcher
   * reads, so catastrophic backtracking runs out of budget instead of holding the thread. Java's
   * matcher recurses per repetition: a stack overflow counts as too deep.
   */
  public boolean find(Pattern pattern, String text) {
    try {
      return pattern.matcher(new CountedChars(text, this)).find();
    } catch (StackOverflowError e) {
      throw new BudgetExceededException(Limit.DEPTH, false,
          "the pattern " + shorten(pattern.pattern()) + " recurses too deeply to match a "
              + text.length() + "-character value");
    }
  }

  /** Compiles a schema's pattern; null when invalid. Too deep nesting is over budget. */
  public Pattern compile(String regex) {
    depth(groupDepth(regex));
    try {
      return Pattern.compile(regex);
    } catch (java.util.regex.PatternSyntaxException e) {
      return null;
    } catch (StackOverflowError e) {
      throw exceeded(Limit.DEPTH);
    }
  }

  /**
   * The deepest nesting of groups and classes in a regular expression; escapes are skipped, and a
   * parenthesis inside a class is a literal.
   */
  static int groupDepth(String regex) {
    int depth = 0;
    int classes = 0;
    int max = 0;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[') {
        classes++;
        max = Math.max(max, ++depth);
      } else if (c == ']' && classes > 0) {
        classes--;
        depth--;
      } else if (c == '(' && classes == 0) {
        max = Math.max(max, ++depth);
      } else if (c == ')' && classes == 0 && depth > 0) {
        depth--;
      }
    }
    return max;
  }

  /** The thread's CPU time where the JVM measures it, else the wall clock. */
  private static long now() {
    return CPU_CLOCK ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  private BudgetExceededException exceeded(Limit limit) {
    boolean retry = inline && limit != Limit.DEPTH;
    return new BudgetExceededException(limit, retry,
        "the answer would exceed llmsim's synthesis limit of " + limit.describe());
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? "'" + s + "'" : "'" + s.substring(0, 40) + "…'";
  }

  /** A string whose reads are charged to the budget. */
  private record CountedChars(String text, GenerationBudget budget) implements CharSequence {
    @Override
    public int length() {
      return text.length();
    }

    @Override
    public char charAt(int index) {
      budget.step(1);
      return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      budget.step(end - start);
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
