package io.llmsim.proxy;

import static io.llmsim.proxy.Recordings.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.mode.Speed;
import io.llmsim.proxy.replay.ReplaySettings;
import io.llmsim.store.MatchRule;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Matching looser than the stored fingerprint, as a fixture set may need: more fields ignored
 * ({@code --match-ignore}), or only the endpoint, model and last user message ({@code --match
 * loose}). Over real sockets, from a real RocksDB store.
 */
class ReplayMatchTest {
  private static final String RECORDED = "{\"model\":\"gpt-4o\",\"temperature\":0.2,"
      + "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
      + "{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  private static final String WARMER = RECORDED.replace("0.2", "0.7");
  private static final String OTHER_SYSTEM = WARMER.replace("Be brief.", "Be kind.");
  private static final String OTHER_QUESTION = RECORDED.replace("Say hello", "Say goodbye");
  private static final String ANSWER = "{\"id\":\"chatcmpl-recorded\",\"choices\":[]}";

  @TempDir Path storeDir;

  private int status(MatchRule match, String body) throws Exception {
    ReplaySettings settings = new ReplaySettings(Speed.MAX, "error", false, false, List.of(),
        match);
    try (LlmSimServer server = TestServers.startReplay(storeDir, settings);
        RawHttpClient client = new RawHttpClient(server.port())) {
      Recordings.put(server,
          Recordings.whole("000000000001aa", CHAT, "gpt-4o", RECORDED, 200, ANSWER, 5));
      RawHttpClient.Response response =
          client.send(RawHttpClient.post("/v1/chat/completions", body)).read();
      if (response.status() == 200) {
        assertThat(response.text()).isEqualTo(ANSWER);
      }
      return response.status();
    }
  }

  @Test
  void theStoredFingerprintCountsTemperature() throws Exception {
    assertThat(status(null, RECORDED)).isEqualTo(200);
    assertThat(status(null, WARMER)).isEqualTo(404);
  }

  @Test
  void ignoredFieldsNoLongerCount() throws Exception {
    MatchRule ignoringTemperature = MatchRule.ignoring(List.of("/temperature"));
    assertThat(status(ignoringTemperature, WARMER)).isEqualTo(200);
    assertThat(status(ignoringTemperature, OTHER_SYSTEM)).isEqualTo(404);
  }

  @Test
  void aLooseMatchLooksAtTheLastUserMessageOnly() throws Exception {
    assertThat(status(MatchRule.loose(), OTHER_SYSTEM)).isEqualTo(200);
    assertThat(status(MatchRule.loose(), OTHER_QUESTION)).isEqualTo(404);
  }
}
