package io.llmsim.proxy.replay;

import static io.llmsim.proxy.Recordings.CHAT;
import static io.llmsim.proxy.Recordings.MESSAGES;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.proxy.Recordings;
import io.llmsim.store.Fingerprint;
import io.llmsim.store.InMemoryExchangeStore;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NearMissesTest {
  private static final String ASKED = "{\"model\":\"gpt-4o\",\"temperature\":0.5,\"n\":1}";

  @Test
  void ranksRecordingsOfTheSameEndpointAndSeesNewOnes() {
    try (InMemoryExchangeStore store = new InMemoryExchangeStore()) {
      NearMisses nearMisses = new NearMisses(Fingerprint.defaults());
      assertThat(nearMisses.find(store, CHAT, "gpt-4o", bytes(ASKED)).storeTotal()).isZero();

      store.put(Recordings.whole("000000000001aa", CHAT, "gpt-4o",
          "{\"model\":\"gpt-4o\",\"temperature\":0.1,\"n\":3}", 200, "{}", 0));
      store.put(Recordings.whole("000000000001ab", MESSAGES, "gpt-4o", ASKED, 200, "{}", 0));
      NearMisses.Found found = nearMisses.find(store, CHAT, "gpt-4o", bytes(ASKED));
      assertThat(found.storeTotal()).isEqualTo(2);
      assertThat(found.nearest()).extracting(NearMisses.Candidate::id)
          .containsExactly("000000000001aa");

      // A recording added later is indexed by the next miss, and ranks first: one field differs.
      store.put(Recordings.whole("000000000001ac", CHAT, "gpt-4o",
          "{\"model\":\"gpt-4o\",\"temperature\":0.1,\"n\":1}", 200, "{}", 0));
      found = nearMisses.find(store, CHAT, "gpt-4o", bytes(ASKED));
      assertThat(found.nearest()).extracting(NearMisses.Candidate::id)
          .containsExactly("000000000001ac", "000000000001aa");
      assertThat(found.nearest().get(0).diff().lines()).containsExactly("temperature: 0.5 ≠ 0.1");
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
