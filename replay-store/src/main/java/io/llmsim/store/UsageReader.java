package io.llmsim.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.llmsim.core.json.Json;
import io.llmsim.store.RecordedExchange.TokenUsage;
import java.io.IOException;

/**
 * Token usage as a provider reported it in a response body, whole JSON or a stream of events:
 * OpenAI's {@code usage.prompt_tokens}/{@code completion_tokens} (chat, completions),
 * {@code input_tokens}/{@code output_tokens} (Responses, Anthropic, whose stream reports input in
 * {@code message_start} and output in {@code message_delta}), Gemini's
 * {@code usageMetadata.promptTokenCount}/{@code candidatesTokenCount}. The last value reported
 * wins, since streams repeat usage with running totals.
 *
 * <p>The bytes are read with a streaming parser that skips everything but the usage objects: it
 * runs for every recorded exchange, and building a tree of every event cost more than storing it.
 */
public final class UsageReader {
  private static final byte[] DATA = {'d', 'a', 't', 'a', ':'};

  private UsageReader() {}

  /** The usage in {@code body}; null when it reports none. */
  public static TokenUsage read(byte[] body) {
    Long[] found = new Long[2];
    int start = skipSpace(body, 0, body.length);
    if (start < body.length && (body[start] == '{' || body[start] == '[')) {
      event(body, start, body.length, found); // a whole JSON answer
    } else {
      for (int line = 0; line < body.length; ) {
        int end = line;
        while (end < body.length && body[end] != '\n') {
          end++;
        }
        if (startsWith(body, line, end, DATA)) {
          event(body, line + DATA.length, end, found);
        }
        line = end + 1;
      }
    }
    return found[0] == null && found[1] == null ? null : new TokenUsage(found[0], found[1]);
  }

  /** One JSON value in {@code body[from, to)}; a cut or malformed one reports nothing. */
  private static void event(byte[] body, int from, int to, Long[] found) {
    int start = skipSpace(body, from, to);
    if (start == to || (body[start] != '{' && body[start] != '[')) {
      return;
    }
    Long[] here = new Long[2];
    try (JsonParser p = Json.FACTORY.createParser(body, start, to - start)) {
      p.nextToken();
      scan(p, here);
    } catch (IOException e) {
      return;
    }
    for (int slot = 0; slot < 2; slot++) {
      if (here[slot] != null) {
        found[slot] = here[slot];
      }
    }
  }

  /** The object or array the parser is at, up to its end. */
  private static void scan(JsonParser p, Long[] found) throws IOException {
    if (p.currentToken() == JsonToken.START_ARRAY) {
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t == null) {
          throw new IOException("cut");
        }
        if (t == JsonToken.START_OBJECT) {
          scan(p, found);
        } else {
          p.skipChildren();
        }
      }
      return;
    }
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String name = p.currentName();
      boolean object = p.nextToken() == JsonToken.START_OBJECT;
      switch (name) {
        case "usage", "usageMetadata" -> {
          if (object) {
            counts(p, found);
          } else {
            p.skipChildren();
          }
        }
        // Usage nests inside a wrapper: Anthropic's message_start.message, Responses' response.
        case "message", "response" -> {
          if (object) {
            scan(p, found);
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw new IOException("cut");
    }
  }

  private static void counts(JsonParser p, Long[] found) throws IOException {
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      int slot = switch (p.currentName()) {
        case "prompt_tokens", "input_tokens", "promptTokenCount" -> 0;
        case "completion_tokens", "output_tokens", "candidatesTokenCount" -> 1;
        default -> -1;
      };
      JsonToken value = p.nextToken();
      if (slot >= 0 && value == JsonToken.VALUE_NUMBER_INT) {
        found[slot] = p.getLongValue();
      } else if (slot >= 0 && value == JsonToken.VALUE_NUMBER_FLOAT) {
        double d = p.getDoubleValue();
        if (d >= Long.MIN_VALUE && d <= Long.MAX_VALUE) {
          found[slot] = (long) d;
        }
      } else {
        p.skipChildren();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw new IOException("cut");
    }
  }

  private static int skipSpace(byte[] b, int from, int to) {
    while (from < to && (b[from] == ' ' || b[from] == '\t' || b[from] == '\r'
        || b[from] == '\n')) {
      from++;
    }
    return from;
  }

  private static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
    if (to - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
