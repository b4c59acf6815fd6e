package io.llmsim.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.FrameSource;
import io.llmsim.core.plan.ResponsePlan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fuzzes whole synthesized answers: a request (its method, URI, headers and body) through the
 * router of every provider, and every frame of the plan it answers with. The router must never
 * reach its "unexpected failure" path (a bug), building and reading the whole answer must finish
 * within {@link #LIMIT}, and no frame may be due after {@link #LAST_OFFSET}. The plan's offsets are
 * only read, never waited for.
 *
 * <p>An input is written like an HTTP/1.1 request: {@code POST /v1/chat/completions}, then
 * {@code name: value} header lines, an empty line and the body. Saved inputs:
 * {@code RouterFuzzTestInputs/<method>/}; see docs/reliability.md.
 */
class RouterFuzzTest {
  /** Far above any reasonable answer; a generous bound, so a loaded machine never fails it. */
  static final Duration LIMIT = Duration.ofSeconds(10);
  /** Later than any answer a client waits for, even slowed by a fault: a speed gone wrong. */
  static final Duration LAST_OFFSET = Duration.ofDays(1);

  private static final Router ROUTER = new Router(Providers.all(ApiConfig.defaults()),
      (request, e) -> {
        throw new AssertionError("unexpected failure for " + request.path(), e);
      });

  static {
    // The first answer loads (and, when fuzzing, instruments) every dialect and the tokenizer:
    // seconds on a busy machine that are no input's doing.
    answer(parse(("POST /v1/chat/completions\n\n"
        + "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
        .getBytes(StandardCharsets.UTF_8)));
  }

  @FuzzTest(maxDuration = "5m")
  void request(byte[] input) {
    answerWithinBudget(input);
  }

  /**
   * Issue 17 item 6: one small request that exhausts memory or time (completions with
   * {@code n=128} and 2,048 prompts, a tool schema of an array of 100,000 arrays of 100,000
   * integers, {@code speed=0.0000001x}).
   */
  @FuzzTest(maxDuration = "5m")
  void budgetReproductions(byte[] input) {
    answerWithinBudget(input);
  }

  private static void answerWithinBudget(byte[] input) {
    ApiRequest request = parse(input);
    if (request == null) {
      return; // not a request line Netty would hand over
    }
    long start = System.nanoTime();
    answer(request);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LIMIT);
  }

  /** Routes the request and reads every frame of the answer. */
  private static void answer(ApiRequest request) {
    ResponsePlan plan = ROUTER.route(request);
    // A 5xx is an answer too when the header asked for a fault; a bug fails in the router's
    // failure callback above instead.
    assertThat(plan.status()).isBetween(200, 599);
    FrameSource frames = plan.frames();
    long lastOffset = 0;
    for (Frame frame = frames.next(); frame != null; frame = frames.next()) {
      assertThat(frame).isNotSameAs(FrameSource.PENDING);
      assertThat(frame.offsetNanos()).isGreaterThanOrEqualTo(lastOffset);
      lastOffset = frame.offsetNanos();
    }
    assertThat(Duration.ofNanos(Math.max(lastOffset, plan.headersOffsetNanos())))
        .isLessThan(LAST_OFFSET);
  }

  /** The request an input describes, or null without a {@code METHOD /uri} first line. */
  private static ApiRequest parse(byte[] input) {
    int end = indexOf(input, new byte[] {'\n', '\n'});
    String head = new String(input, 0, end < 0 ? input.length : end, StandardCharsets.ISO_8859_1);
    byte[] body = end < 0 ? new byte[0] : Arrays.copyOfRange(input, end + 2, input.length);
    String[] lines = head.split("\n", -1);
    String[] requestLine = lines[0].split(" ", 2);
    if (requestLine.length != 2 || !requestLine[1].startsWith("/")) {
      return null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.merge(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim(),
            (a, b) -> a + ", " + b);
      }
    }
    return new ApiRequest(requestLine[0], requestLine[1], headers, body, 1_767_225_600L);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }
}
