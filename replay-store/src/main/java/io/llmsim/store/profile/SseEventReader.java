package io.llmsim.store.profile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits recorded network chunks into server-sent events, by the WHATWG rules every SDK follows:
 * lines end in LF, CRLF or CR (a CRLF may be split across chunks), a blank line ends an event,
 * {@code :} starts a comment, several {@code data:} lines join with LF. A chunk may hold several
 * events and an event may span several chunks; each event takes the offset of the chunk that
 * completed it. Lines are cut as bytes and decoded whole, so a multi-byte character split across
 * chunks decodes correctly. Not thread-safe: one reader per stream.
 */
public final class SseEventReader {
  private final List<SseEvent> events = new ArrayList<>();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final StringBuilder data = new StringBuilder();
  private String eventName = "";
  private boolean hasData;
  private boolean lastWasCr;
  private long lastOffset;

  /** Feeds one network chunk; events it completes are added to {@link #events()}. */
  public void feed(byte[] bytes, long offsetMicros) {
    lastOffset = offsetMicros;
    for (byte b : bytes) {
      if (b == '\n' && lastWasCr) {
        lastWasCr = false; // the LF of a CRLF whose CR ended the line already
        continue;
      }
      lastWasCr = b == '\r';
      if (b == '\n' || b == '\r') {
        endLine(offsetMicros);
      } else {
        line.write(b);
      }
    }
  }

  /**
   * Ends the stream. A last event without its blank line is kept (leniently: providers end their
   * bodies properly, but a recording may have been cut after the final data line).
   */
  public List<SseEvent> finish() {
    if (line.size() > 0) {
      endLine(lastOffset);
    }
    dispatch(lastOffset);
    return List.copyOf(events);
  }

  public List<SseEvent> events() {
    return List.copyOf(events);
  }

  private void endLine(long offsetMicros) {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.isEmpty()) {
      dispatch(offsetMicros);
      return;
    }
    if (text.startsWith(":")) {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> eventName = value;
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      default -> { } // id, retry and unknown fields say nothing about timing
    }
  }

  private void dispatch(long offsetMicros) {
    if (hasData) {
      events.add(new SseEvent(eventName, data.toString(), offsetMicros));
    }
    data.setLength(0);
    hasData = false;
    eventName = "";
  }
}
