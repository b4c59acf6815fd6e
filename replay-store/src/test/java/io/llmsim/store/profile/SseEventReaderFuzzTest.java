package io.llmsim.store.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the server-sent-event reader that record and profile fitting read recorded streams with,
 * and the output-event parser behind it. The events must not depend on how the network cut the
 * stream into chunks (one chunk, one byte per chunk, chunks of three bytes), and reading the
 * events never throws. Saved inputs: {@code SseEventReaderFuzzTestInputs/<method>/}; see
 * docs/reliability.md.
 */
class SseEventReaderFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void stream(byte[] input) {
    List<SseEvent> whole = read(input, Math.max(1, input.length));
    assertThat(read(input, 1)).isEqualTo(whole);
    assertThat(read(input, 3)).isEqualTo(whole);
    assertThat(OutputEventParser.read(whole)).isNotNull();
  }

  private static List<SseEvent> read(byte[] stream, int chunkSize) {
    SseEventReader reader = new SseEventReader();
    for (int from = 0; from < stream.length; from += chunkSize) {
      reader.feed(Arrays.copyOfRange(stream, from, Math.min(stream.length, from + chunkSize)), 0);
    }
    return reader.finish();
  }
}
