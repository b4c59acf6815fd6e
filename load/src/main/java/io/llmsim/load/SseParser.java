package io.llmsim.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental Server-Sent Events parser: feed it the body chunks as they arrive and it calls the
 * listener with the data of each complete event. An event ends at a blank line; lines may end with
 * "\n" or "\r\n". Several {@code data:} lines are joined with "\n"; other fields and comments are
 * ignored, as are events without data.
 *
 * <p>Works on bytes and reuses its buffers, so parsing allocates nothing per event once the buffers
 * have grown to the largest line. Not thread-safe: one parser per connection.
 */
public final class SseParser {
  /** Receives the data of each event; {@code data} is only valid during the call. */
  @FunctionalInterface
  public interface Listener {
    void onEvent(byte[] data, int length);
  }

  private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTENT = "\"content\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

  private final Listener listener;
  private byte[] line = new byte[256];
  private int lineLength;
  private byte[] data = new byte[256];
  private int dataLength;
  private boolean hasData;

  public SseParser(Listener listener) {
    this.listener = listener;
  }

  /** Parses the readable bytes of {@code chunk} without consuming or releasing it. */
  public void feed(ByteBuf chunk) {
    int index = chunk.readerIndex();
    int end = chunk.writerIndex();
    while (index < end) {
      int newline = chunk.indexOf(index, end, (byte) '\n');
      if (newline < 0) {
        appendLine(chunk, index, end - index);
        return;
      }
      appendLine(chunk, index, newline - index);
      endLine();
      index = newline + 1;
    }
  }

  /** Parses {@code bytes}; convenient for tests. */
  public void feed(byte[] bytes) {
    ByteBuf wrapped = Unpooled.wrappedBuffer(bytes);
    try {
      feed(wrapped);
    } finally {
      wrapped.release();
    }
  }

  /** Forgets a partial line or event, e.g. when a new response starts. */
  public void reset() {
    lineLength = 0;
    dataLength = 0;
    hasData = false;
  }

  /** Whether an event's data has a non-empty content delta: {@code "content":"} then not '"'. */
  public static boolean isToken(byte[] data, int length) {
    int last = length - CONTENT.length;
    outer:
    for (int i = 0; i < last; i++) {
      for (int k = 0; k < CONTENT.length; k++) {
        if (data[i + k] != CONTENT[k]) {
          continue outer;
        }
      }
      if (data[i + CONTENT.length] != '"') {
        return true;
      }
    }
    return false;
  }

  /** Whether an event's data is the OpenAI end marker {@code [DONE]}. */
  public static boolean isDone(byte[] data, int length) {
    return length == DONE.length && Arrays.equals(data, 0, length, DONE, 0, DONE.length);
  }

  private void appendLine(ByteBuf chunk, int from, int count) {
    if (count == 0) {
      return;
    }
    if (lineLength + count > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + count));
    }
    chunk.getBytes(from, line, lineLength, count);
    lineLength += count;
  }

  private void endLine() {
    int length = lineLength;
    lineLength = 0;
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    if (length == 0) {
      if (hasData) {
        int dispatched = dataLength;
        hasData = false;
        dataLength = 0;
        listener.onEvent(data, dispatched);
      }
      return;
    }
    if (!startsWithDataField(length)) {
      return;
    }
    int from = DATA.length;
    if (from < length && line[from] == ':') {
      from++;
      if (from < length && line[from] == ' ') {
        from++;
      }
    }
    int count = length - from;
    int needed = dataLength + count + (hasData ? 1 : 0);
    if (needed > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, needed));
    }
    if (hasData) {
      data[dataLength++] = '\n';
    }
    System.arraycopy(line, from, data, dataLength, count);
    dataLength += count;
    hasData = true;
  }

  /** A "data" field: "data:..." or a bare "data" line (empty data, per the SSE spec). */
  private boolean startsWithDataField(int length) {
    if (length < DATA.length) {
      return false;
    }
    for (int i = 0; i < DATA.length; i++) {
      if (line[i] != DATA[i]) {
        return false;
      }
    }
    return length == DATA.length || line[DATA.length] == ':';
  }
}
