package io.llmsim.core.fault;

import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Dialect;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.plan.DerivedFrames;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.FrameSource;
import io.llmsim.core.plan.ResponsePlan;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link Fault} to the plan an endpoint built, whatever the provider: error faults
 * become the dialect's error answer (or, with {@code after} on a stream, the dialect's in-stream
 * error), the others rewrite the plan's frames. Stateless apart from the counter; thread-safe.
 */
public final class FaultInjector {
  private final FaultCounter counter;

  public FaultInjector(FaultCounter counter) {
    this.counter = counter;
  }

  public FaultCounter counter() {
    return counter;
  }

  /**
   * The plan to send instead of {@code plan}; {@code plan} itself when the fault does not strike
   * (see {@link Fault#strikes}) or the endpoint already answered an error: a request that is
   * wrong stays wrong, so a client sees its own mistake rather than a simulated fault.
   */
  public ResponsePlan apply(ResponsePlan plan, Fault fault, Long seed, Dialect dialect,
      ApiRequest request) {
    if (fault == null || plan.status() >= 400 || !fault.strikes(seed)) {
      return plan;
    }
    counter.record(fault.kind(), dialect.name(), request.model());
    return transform(plan, fault, dialect, request);
  }

  /** The fault applied without drawing or counting: for tests and callers that did both. */
  public static ResponsePlan transform(ResponsePlan plan, Fault fault, Dialect dialect,
      ApiRequest request) {
    FaultKind kind = fault.kind();
    if (kind.isError()) {
      ApiError error = error(fault, dialect.name());
      if (plan.streaming() && fault.after() > 0) {
        return withFrames(plan, afterN(plan.frames(), fault.after(),
            (offset, sent) -> List.of(new Frame(offset,
                dialect.streamError(error, request, sent)))));
      }
      plan.frames().cancel(); // a live answer is replaced whole
      ResponsePlan answer = dialect.error(error);
      List<Map.Entry<String, String>> headers = new ArrayList<>(answer.headers());
      headers.addAll(extraHeaders(kind, dialect.name(), fault.retryAfterSeconds()));
      return new ResponsePlan(answer.status(), headers, answer.streaming(),
          answer.headersOffsetNanos(), answer.frames());
    }
    switch (kind) {
      case DISCONNECT:
        if (!plan.streaming()) {
          // Cut when the whole answer would have been sent: the client waited, then lost it.
          return withFrames(plan, cutWhole(plan.frames(), plan.headersOffsetNanos()));
        }
        if (fault.after() == 0) {
          plan.frames().cancel();
          return withFrames(plan, FrameSource.of(List.of(Frame.disconnect(0))));
        }
        return withFrames(plan, afterN(plan.frames(), fault.after(),
            (offset, sent) -> List.of(Frame.disconnect(offset))));
      case TIMEOUT:
        // Accepted, then silence: a marker before any byte closes the connection at its offset.
        plan.frames().cancel();
        return new ResponsePlan(plan.status(), plan.headers(), false, 0,
            FrameSource.of(List.of(Frame.disconnect(fault.timeoutNanos()))));
      case MALFORMED:
        return withFrames(plan, malformed(plan.frames(), plan.streaming() ? fault.after() : 0,
            plan.streaming()));
      case SLOW:
        return new ResponsePlan(plan.status(), plan.headers(), plan.streaming(),
            stretch(plan.headersOffsetNanos()), shifted(plan.frames(), 0, true, 0));
      case STALL:
        if (!plan.streaming()) {
          return new ResponsePlan(plan.status(), plan.headers(), false,
              plan.headersOffsetNanos() + fault.stallNanos(),
              shifted(plan.frames(), 0, false, fault.stallNanos()));
        }
        return withFrames(plan, shifted(plan.frames(), fault.after(), false, fault.stallNanos()));
      default:
        throw new IllegalStateException("unhandled fault " + kind);
    }
  }

  /** The neutral error of an error fault, worded for the provider where wording matters. */
  static ApiError error(Fault fault, String provider) {
    switch (fault.kind()) {
      case RATE_LIMIT:
        return new ApiError(ApiError.Kind.RATE_LIMIT, 429, null,
            provider.equals("anthropic") || provider.equals("gemini")
                ? null : "rate_limit_exceeded",
            null, provider.equals("anthropic")
                ? "This request would exceed your organization's rate limit. Please try again"
                    + " later."
                : provider.equals("gemini")
                    ? "Resource has been exhausted (e.g. check quota)."
                    : "Rate limit reached for requests. Please try again in "
                        + fault.retryAfterSeconds() + "s.");
      case SERVER_ERROR:
        return ApiError.of(ApiError.Kind.SERVER, provider.equals("anthropic")
            ? "Internal server error"
            : provider.equals("gemini") ? "An internal error has occurred. Please retry."
                : "The server had an error while processing your request. Sorry about that!");
      case UNAVAILABLE:
        return ApiError.of(ApiError.Kind.UNAVAILABLE, provider.equals("gemini")
            ? "The service is currently unavailable." : "Service Unavailable");
      case OVERLOADED:
        return ApiError.of(ApiError.Kind.OVERLOADED, provider.equals("anthropic")
            ? "Overloaded"
            : provider.equals("gemini") ? "The model is overloaded. Please try again later."
                : "The engine is currently overloaded, please try again later.");
      case AUTH:
        return new ApiError(ApiError.Kind.AUTHENTICATION, 401, null,
            provider.equals("openai") || provider.equals("azure") ? "invalid_api_key" : null,
            null, provider.equals("anthropic") ? "invalid x-api-key"
                : provider.equals("gemini") ? "API key not valid. Please pass a valid API key."
                    : "Incorrect API key provided. You can find your API key at"
                        + " https://platform.openai.com/account/api-keys.");
      case CONTEXT_LENGTH:
        if (provider.equals("anthropic")) {
          return ApiError.invalidRequest("prompt is too long: 215000 tokens > 200000 maximum",
              null, null);
        }
        if (provider.equals("gemini")) {
          return ApiError.invalidRequest("The input token count (1150000) exceeds the maximum"
              + " number of tokens allowed (1048576).", null, null);
        }
        return ApiError.invalidRequest("This model's maximum context length is 128000 tokens."
            + " However, your messages resulted in 150000 tokens. Please reduce the length of"
            + " the messages.", "messages", "context_length_exceeded");
      default:
        throw new IllegalArgumentException(fault.kind() + " is not an error fault");
    }
  }

  /**
   * Headers a fault adds to the error answer: the retry delay (both forms, so SDKs that read
   * either agree) and the provider's rate-limit family with nothing remaining (Gemini has none).
   * No {@code x-should-retry}: the SDKs decide from the status, as they would against the provider.
   */
  static List<Map.Entry<String, String>> extraHeaders(FaultKind kind, String provider,
      long retryAfterSeconds) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (kind != FaultKind.RATE_LIMIT && kind != FaultKind.OVERLOADED
        && kind != FaultKind.UNAVAILABLE) {
      return headers;
    }
    headers.add(Map.entry("retry-after", Long.toString(retryAfterSeconds)));
    headers.add(Map.entry("retry-after-ms", Long.toString(retryAfterSeconds * 1000)));
    if (kind != FaultKind.RATE_LIMIT) {
      return headers;
    }
    if (provider.equals("azure")) {
      // Azure reports only what remains (AzureHeaders), so its 429 says only that.
      headers.add(Map.entry("x-ratelimit-remaining-requests", "0"));
      headers.add(Map.entry("x-ratelimit-remaining-tokens", "0"));
    } else if (provider.equals("openai")) {
      headers.add(Map.entry("x-ratelimit-limit-requests", "10000"));
      headers.add(Map.entry("x-ratelimit-remaining-requests", "0"));
      headers.add(Map.entry("x-ratelimit-reset-requests", retryAfterSeconds + "s"));
      headers.add(Map.entry("x-ratelimit-limit-tokens", "30000000"));
      headers.add(Map.entry("x-ratelimit-remaining-tokens", "0"));
      headers.add(Map.entry("x-ratelimit-reset-tokens", retryAfterSeconds + "s"));
    } else if (provider.equals("anthropic")) {
      String reset = Instant.now().plusSeconds(retryAfterSeconds)
          .truncatedTo(ChronoUnit.SECONDS).toString();
      for (String family : List.of("requests", "tokens", "input-tokens", "output-tokens")) {
        String prefix = "anthropic-ratelimit-" + family + "-";
        headers.add(Map.entry(prefix + "limit", family.equals("requests") ? "4000" : "400000"));
        headers.add(Map.entry(prefix + "remaining", "0"));
        headers.add(Map.entry(prefix + "reset", reset));
      }
    }
    return headers;
  }

  private interface Tail {
    /**
     * The frames that replace the rest of the stream, due at {@code offset}, after the frames
     * {@code sent} (oldest first).
     */
    List<Frame> frames(long offset, List<Frame> sent);
  }

  /**
   * The first {@code n} frames, then {@code tail} in place of the rest, at the offset the next
   * frame would have had. A stream with no more than {@code n} frames is cut before its last one
   * instead, so the fault still comes before the stream's terminator ({@code data: [DONE]},
   * {@code message_stop}, the final chunk), where a client can see it.
   */
  static FrameSource afterN(FrameSource source, int n, Tail tail) {
    return new DerivedFrames(source) {
      /** Kept for the tail: at most {@code n} frames, dropped once the tail is made. */
      private List<Frame> sent = new ArrayList<>();
      private long lastOffset;
      private boolean pulled;
      private Frame current;
      private List<Frame> ending;
      private int endingIndex;

      @Override
      protected Frame rewrite() {
        if (ending == null) {
          if (!pulled) {
            current = pull();
            if (isStalled()) {
              return null;
            }
            pulled = true;
          }
          if (current != null && sent.size() < n) {
            Frame ahead = pull(); // one frame of look-ahead tells whether this one is the last
            if (isStalled()) {
              return null;
            }
            if (ahead != null) {
              sent.add(current);
              lastOffset = current.offsetNanos();
              Frame frame = current;
              current = ahead;
              return frame;
            }
          }
          ending = tail.frames(current == null ? lastOffset : current.offsetNanos(), sent);
          sent = null;
          if (current != null) {
            cancel(); // the rest of a live stream is not wanted any more
          }
        }
        return endingIndex < ending.size() ? ending.get(endingIndex++) : null;
      }
    };
  }

  /** One disconnect marker at the offset the whole answer would have been sent. */
  private static FrameSource cutWhole(FrameSource source, long headersOffsetNanos) {
    return new DerivedFrames(source) {
      private boolean done;

      @Override
      protected Frame rewrite() {
        if (done) {
          return null;
        }
        Frame whole = pull();
        if (isStalled()) {
          return null;
        }
        done = true;
        return Frame.disconnect(whole == null ? headersOffsetNanos : whole.offsetNanos());
      }
    };
  }

  /** After {@code n} frames, a corrupted copy of the next one; then the stream as it was. */
  static FrameSource malformed(FrameSource source, int n, boolean streaming) {
    return new DerivedFrames(source) {
      private int seen;
      private Frame held;

      @Override
      protected Frame rewrite() {
        if (held != null) {
          Frame frame = held;
          held = null;
          return frame;
        }
        Frame frame = pull();
        if (frame == null || seen++ != n) {
          return frame;
        }
        if (!streaming) {
          // A whole answer cannot "continue": its body is the cut one.
          return new Frame(frame.offsetNanos(), cut(frame.bytes(), false));
        }
        held = frame;
        return new Frame(frame.offsetNanos(), cut(frame.bytes(), true));
      }
    };
  }

  /**
   * The bytes cut in the middle of their (last) JSON text; a stream's event keeps its blank-line
   * terminator so the parser sees one complete event whose JSON is broken.
   */
  static byte[] cut(byte[] bytes, boolean event) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    int json = text.lastIndexOf("data:");
    json = json < 0 ? text.indexOf('{') : text.indexOf('{', json);
    String body = text.stripTrailing();
    int at = json < 0 ? body.length() / 2 : json + Math.max(1, (body.length() - json) / 2);
    String broken = body.substring(0, Math.min(at, body.length()));
    if (broken.equals(body)) {
      broken = body.isEmpty() ? "{" : body.substring(0, body.length() - 1);
    }
    return (event ? broken + "\n\n" : broken).getBytes(StandardCharsets.UTF_8);
  }

  private static long stretch(long nanos) {
    return Math.round(nanos * Fault.SLOW_FACTOR);
  }

  /**
   * Frames from index {@code from} on delayed by {@code delayNanos}, or every offset stretched by
   * {@link Fault#SLOW_FACTOR} when {@code slow}.
   */
  static FrameSource shifted(FrameSource source, int from, boolean slow, long delayNanos) {
    return new DerivedFrames(source) {
      private int index;

      @Override
      protected Frame rewrite() {
        Frame frame = pull();
        if (frame == null) {
          return null;
        }
        long offset = slow ? stretch(frame.offsetNanos())
            : index >= from ? frame.offsetNanos() + delayNanos : frame.offsetNanos();
        index++;
        return frame.isDisconnect() ? Frame.disconnect(offset) : new Frame(offset, frame.bytes());
      }
    };
  }

  private static ResponsePlan withFrames(ResponsePlan plan, FrameSource frames) {
    return new ResponsePlan(plan.status(), plan.headers(), plan.streaming(),
        plan.headersOffsetNanos(), frames);
  }
}
