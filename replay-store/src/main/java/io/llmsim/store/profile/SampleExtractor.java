package io.llmsim.store.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.core.latency.fit.ExchangeSample;
import io.llmsim.core.tokens.Tokenizer;
import io.llmsim.store.RecordedExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Turns one recorded exchange into an {@link ExchangeSample}, or says why it cannot: only complete,
 * status-200, streamed (SSE) exchanges with at least one output event count.
 *
 * <p>TTFT is the offset of the first output event, not of the headers nor of OpenAI's role-only
 * first chunk. Token counts come from the usage the provider reported (the exchange's, else the
 * stream's); without it they are counted with the model's tokenizer: the prompt from the request's
 * messages, the output per event from its text. With reported usage, each event is credited an
 * equal share of the output tokens.
 */
public final class SampleExtractor {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PROMPT_FIELDS = List.of(
      "messages", "input", "instructions", "system", "contents", "systemInstruction", "prompt",
      "tools");

  /** Why an exchange gave no sample. */
  public enum Skip {
    INCOMPLETE("incomplete"),
    NOT_OK("status not 200"),
    NOT_STREAMING("not streamed"),
    NO_OUTPUT("no output events");

    private final String label;

    Skip(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** A sample, or the reason there is none. */
  public record Result(ExchangeSample sample, Skip skipped) {
    static Result skip(Skip why) {
      return new Result(null, why);
    }
  }

  private SampleExtractor() {}

  public static Result extract(RecordedExchange exchange) {
    if (!exchange.complete()) {
      return Result.skip(Skip.INCOMPLETE);
    }
    if (exchange.status() != 200) {
      return Result.skip(Skip.NOT_OK);
    }
    if (!isEventStream(exchange)) {
      return Result.skip(Skip.NOT_STREAMING);
    }
    SseEventReader reader = new SseEventReader();
    for (RecordedExchange.Chunk chunk : exchange.chunks()) {
      reader.feed(chunk.bytes(), chunk.offsetMicros());
    }
    StreamReading stream = OutputEventParser.read(reader.finish());
    List<OutputEvent> outputs = stream.outputs();
    if (outputs.isEmpty()) {
      return Result.skip(Skip.NO_OUTPUT);
    }
    Tokenizer tokenizer = Tokenizer.forModel(exchange.model());
    RecordedExchange.TokenUsage usage = exchange.usage();

    Long reportedOutput = usage != null && usage.outputTokens() != null
        ? usage.outputTokens() : stream.outputTokens();
    double[] tokensPerChunk = new double[outputs.size()];
    double outputTokens;
    if (reportedOutput != null) {
      outputTokens = reportedOutput;
      Arrays.fill(tokensPerChunk, outputTokens / outputs.size());
    } else {
      outputTokens = 0;
      for (int i = 0; i < outputs.size(); i++) {
        tokensPerChunk[i] = tokenizer.count(outputs.get(i).text());
        outputTokens += tokensPerChunk[i];
      }
    }

    Long reportedInput = usage != null && usage.inputTokens() != null
        ? usage.inputTokens() : stream.inputTokens();
    double promptTokens = reportedInput != null ? reportedInput : countPrompt(exchange, tokenizer);

    double[] gaps = new double[outputs.size() - 1];
    for (int i = 1; i < outputs.size(); i++) {
      gaps[i - 1] = (outputs.get(i).offsetMicros() - outputs.get(i - 1).offsetMicros()) / 1000.0;
    }
    long first = outputs.get(0).offsetMicros();
    long last = outputs.get(outputs.size() - 1).offsetMicros();
    // Speed after the first event, as output speed is usually quoted.
    double tokensPerSecond = last > first
        ? (outputTokens - tokensPerChunk[0]) / ((last - first) / 1_000_000.0) : Double.NaN;
    return new Result(
        new ExchangeSample(first / 1000.0, promptTokens, gaps, tokensPerChunk, outputTokens,
            tokensPerSecond),
        null);
  }

  private static boolean isEventStream(RecordedExchange exchange) {
    for (RecordedExchange.Header h : exchange.responseHeaders()) {
      if (h.name().equalsIgnoreCase("content-type")) {
        return h.value().toLowerCase(Locale.ROOT).contains("text/event-stream");
      }
    }
    // No content type recorded: a body that opens with an SSE field is a stream.
    if (exchange.chunks().isEmpty()) {
      return false;
    }
    String start = new String(exchange.chunks().get(0).bytes(), 0,
        Math.min(6, exchange.chunks().get(0).length()), StandardCharsets.UTF_8);
    return start.startsWith("data:") || start.startsWith("event:");
  }

  /** Tokens of the prompt's text: every string under the fields that make up a prompt. */
  static int countPrompt(RecordedExchange exchange, Tokenizer tokenizer) {
    JsonNode body;
    try {
      body = JSON.readTree(exchange.request().body());
    } catch (IOException e) {
      return 0;
    }
    if (body == null || !body.isObject()) {
      return 0;
    }
    StringBuilder text = new StringBuilder();
    for (String field : PROMPT_FIELDS) {
      collectText(body.path(field), text);
    }
    return tokenizer.count(text.toString());
  }

  private static void collectText(JsonNode node, StringBuilder text) {
    if (node.isTextual()) {
      text.append(node.asText()).append('\n');
    } else if (node.isContainerNode()) {
      for (JsonNode child : node) {
        collectText(child, text);
      }
    }
  }
}
