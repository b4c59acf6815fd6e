package io.llmsim.proxy.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.api.ApiConfig;
import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Providers;
import io.llmsim.core.api.Routed;
import io.llmsim.core.api.Router;
import io.llmsim.core.fault.FaultCounter;
import io.llmsim.proxy.ModeSettings;
import io.llmsim.proxy.StoreAccess;
import io.llmsim.proxy.metrics.ServerMetrics;
import io.llmsim.store.ExchangeStore;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RocksDbExchangeStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record holds an exchange only up to the limit of one exchange: beyond it nothing is kept or
 * stored, so a huge answer neither fills the heap nor lands in the store as something replay
 * would refuse. The limit is lowered here; the check is the one the real limit goes through.
 */
class RecordSizeLimitTest {
  private static final String BODY =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir Path dir;

  @Test
  void anExchangeOverTheLimitIsNeitherHeldNorStored() throws Exception {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    long limit = body.length + 100;
    try (StoreAccess access = StoreAccess.rocksDb(dir.resolve("store"))) {
      Recorder recorder = new Recorder(access, ModeSettings.DEFAULTS,
          new ServerMetrics(new FaultCounter(), () -> 0));

      Tape fits = tape(body, limit);
      fits.chunk(new byte[100], 2_000_000);
      assertThat(fits.tooLarge()).isFalse();
      RecordedExchange stored = recorder.save(fits, true).get(30, TimeUnit.SECONDS);
      assertThat(stored.bodyLength()).isEqualTo(100);

      Tape over = tape(body, limit);
      over.chunk(new byte[60], 2_000_000);
      over.chunk(new byte[41], 3_000_000); // one byte past the limit
      over.chunk(new byte[10], 4_000_000); // and more after it
      assertThat(over.tooLarge()).isTrue();
      assertThat(over.chunks).isEmpty(); // let go of what it held
      assertThat(recorder.save(over, true).get(30, TimeUnit.SECONDS)).isNull();
    }
    try (ExchangeStore store = RocksDbExchangeStore.open(dir.resolve("store"))) {
      assertThat(store.count()).isEqualTo(1);
    }
  }

  private static Tape tape(byte[] body, long limit) {
    Router router = new Router(Providers.all(ApiConfig.defaults()), (r, e) -> { });
    Routed routed = router.resolve(new ApiRequest("POST", "/v1/chat/completions",
        Map.of("content-type", "application/json"), body, 0)).routed();
    Tape tape = new Tape(routed, "POST", "/v1/chat/completions", "",
        List.of(Map.entry("content-type", "application/json")), body, 0, limit);
    tape.head(200, List.of(Map.entry("content-type", "application/json")), 1_000_000);
    return tape;
  }
}
