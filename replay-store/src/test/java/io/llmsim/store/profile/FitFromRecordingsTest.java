package io.llmsim.store.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.llmsim.core.generate.Generators;
import io.llmsim.core.latency.Distribution;
import io.llmsim.core.latency.LatencyProfile;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.latency.fit.ExchangeSample;
import io.llmsim.core.latency.fit.ProfileFit;
import io.llmsim.core.latency.fit.ProfilesFileWriter;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.openai.OpenAiChatCompletions;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.RequestOptions;
import io.llmsim.core.synth.SynthesisSettings;
import io.llmsim.store.ExchangeStore;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RocksDbExchangeStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop of issue 8 on a real RocksDB store: record streams whose timing is drawn from
 * known distributions, fit, check the parameters against the truth, write the profiles file, load
 * it back, synthesize with it, and compare the synthesized streams with the recordings by
 * two-sample Kolmogorov–Smirnov tests. Everything is seeded.
 */
class FitFromRecordingsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  // gpt-4o-mini: lognormal TTFT with a prefill term, lognormal gaps and lengths.
  private static final String LOGNORMAL_MODEL = "gpt-4o-mini";
  private static final int LOGNORMAL_EXCHANGES = 2000;
  private static final double TTFT_MU = 6.2;
  private static final double TTFT_SIGMA = 0.5;
  private static final double PREFILL_MS_PER_1K = 40;
  private static final double ITL_MU = 2.6;
  private static final double ITL_SIGMA = 0.45;
  private static final double OUTPUT_MU = 3.7;
  private static final double OUTPUT_SIGMA = 0.5;

  // gamma-model: gamma TTFT and gaps, one prompt size.
  private static final String GAMMA_MODEL = "gamma-model";
  private static final int GAMMA_EXCHANGES = 1000;
  private static final Distribution.Gamma GAMMA_TTFT = new Distribution.Gamma(4, 120);
  private static final Distribution.Gamma GAMMA_ITL = new Distribution.Gamma(2.5, 6);

  @TempDir static Path dir;
  private static ExchangeStore store;
  private static RecordingFit fit;

  @BeforeAll
  static void recordAndFit() {
    store = RocksDbExchangeStore.open(dir.resolve("store"));
    SplittableRandom random = new SplittableRandom(20261129);
    Distribution ttft = new Distribution.LogNormal(TTFT_MU, TTFT_SIGMA);
    Distribution itl = new Distribution.LogNormal(ITL_MU, ITL_SIGMA);
    Distribution output = new Distribution.LogNormal(OUTPUT_MU, OUTPUT_SIGMA);
    for (int i = 0; i < LOGNORMAL_EXCHANGES; i++) {
      int prompt = 100 + random.nextInt(30_000);
      double ttftMs = ttft.sample(random) + PREFILL_MS_PER_1K * prompt / 1000.0;
      int tokens = (int) Math.max(1, Math.round(output.sample(random)));
      store.put(OpenAiStreams.exchange("ln-" + i, LOGNORMAL_MODEL, prompt, micros(ttftMs),
          gaps(itl, tokens - 1, random)));
    }
    for (int i = 0; i < GAMMA_EXCHANGES; i++) {
      int tokens = (int) Math.max(1, Math.round(output.sample(random)));
      store.put(OpenAiStreams.exchange("g-" + i, GAMMA_MODEL, 500,
          micros(GAMMA_TTFT.sample(random)), gaps(GAMMA_ITL, tokens - 1, random)));
    }
    // What the fitter must pass over: an error, a cut stream, a plain JSON answer, a rare model.
    RecordedExchange ok = OpenAiStreams.exchange("x", "gpt-4o", 10, 1000, new long[] {1000});
    store.put(copy(ok, "bad-status", "gpt-4o-mini", 429, true, ok.responseHeaders()));
    store.put(copy(ok, "cut", "gpt-4o-mini", 200, false, ok.responseHeaders()));
    store.put(copy(ok, "json", "gpt-4o-mini", 200, true,
        List.of(new Header("content-type", "application/json"))));
    for (int i = 0; i < 3; i++) {
      store.put(copy(ok, "rare-" + i, "rare-model", 200, true, ok.responseHeaders()));
    }
    fit = RecordingFitter.fit(store, Grouping.MODEL, 10);
  }

  @AfterAll
  static void close() {
    store.close();
  }

  private static long micros(double ms) {
    return Math.round(ms * 1000);
  }

  private static long[] gaps(Distribution d, int n, SplittableRandom random) {
    long[] gaps = new long[n];
    for (int i = 0; i < n; i++) {
      gaps[i] = micros(d.sample(random));
    }
    return gaps;
  }

  private static RecordedExchange copy(RecordedExchange e, String id, String model, int status,
      boolean complete, List<Header> headers) {
    return new RecordedExchange(id, "fp-" + id, e.provider(), e.endpoint(), model, 0, e.request(),
        status, headers, 0, e.chunks(), e.usage(), complete, List.of());
  }

  private static ProfileFit fitOf(String name) {
    return fit.fits().stream().filter(f -> f.profile().name().equals(name)).findFirst()
        .orElseThrow();
  }

  @Test
  void countsWhatItReadUsedAndSkipped() {
    assertThat(fit.read()).isEqualTo(LOGNORMAL_EXCHANGES + GAMMA_EXCHANGES + 6);
    assertThat(fit.used()).isEqualTo(LOGNORMAL_EXCHANGES + GAMMA_EXCHANGES);
    assertThat(fit.skipped()).containsOnly(
        Map.entry(SampleExtractor.Skip.NOT_OK, 1), Map.entry(SampleExtractor.Skip.INCOMPLETE, 1),
        Map.entry(SampleExtractor.Skip.NOT_STREAMING, 1));
    assertThat(fit.tooFew()).containsExactly(Map.entry("rare-model", 3));
    assertThat(fit.models()).containsOnlyKeys(LOGNORMAL_MODEL, GAMMA_MODEL);
  }

  @Test
  void fittedParametersAreWithinFivePercentOfTheTruth() {
    ProfileFit f = fitOf(LOGNORMAL_MODEL);
    LatencyProfile p = f.profile();
    assertThat(f.exchanges()).isEqualTo(LOGNORMAL_EXCHANGES);
    assertThat(p.ttft()).isInstanceOf(Distribution.LogNormal.class);
    Distribution.LogNormal ttft = (Distribution.LogNormal) p.ttft();
    assertThat(ttft.mu()).as("ttft mu").isCloseTo(TTFT_MU, within(TTFT_MU * 0.05));
    assertThat(ttft.sigma()).as("ttft sigma").isCloseTo(TTFT_SIGMA, within(TTFT_SIGMA * 0.05));
    assertThat(p.prefillMsPerKiloToken()).as("prefill")
        .isCloseTo(PREFILL_MS_PER_1K, within(PREFILL_MS_PER_1K * 0.05));
    Distribution.LogNormal itl = (Distribution.LogNormal) p.itl();
    assertThat(itl.mu()).as("itl mu").isCloseTo(ITL_MU, within(ITL_MU * 0.05));
    assertThat(itl.sigma()).as("itl sigma").isCloseTo(ITL_SIGMA, within(ITL_SIGMA * 0.05));
    Distribution.LogNormal output = (Distribution.LogNormal) p.outputTokens();
    assertThat(output.mu()).as("output mu").isCloseTo(OUTPUT_MU, within(OUTPUT_MU * 0.05));
    assertThat(output.sigma()).as("output sigma")
        .isCloseTo(OUTPUT_SIGMA, within(OUTPUT_SIGMA * 0.05));
    // One token per chunk, as OpenAI streams: the constant that keeps the synthesizer's fast path.
    assertThat(p.tokensPerChunk()).isEqualTo(Distribution.constant(1));
    assertThat(f.ttft().flags()).isEmpty();
    assertThat(f.itl().flags()).isEmpty();
  }

  @Test
  void aicPicksLognormalForLognormalDataAndGammaForGammaData() {
    ProfileFit ln = fitOf(LOGNORMAL_MODEL);
    assertThat(ln.ttft().chosen().family()).isEqualTo("lognormal");
    assertThat(ln.itl().chosen().family()).isEqualTo("lognormal");

    ProfileFit g = fitOf(GAMMA_MODEL);
    assertThat(g.ttft().chosen().family()).isEqualTo("gamma");
    assertThat(g.itl().chosen().family()).isEqualTo("gamma");
    assertThat(g.profile().prefillMsPerKiloToken()).isZero(); // one prompt size: nothing to regress
    Distribution.Gamma ttft = (Distribution.Gamma) g.profile().ttft();
    assertThat(ttft.shape()).isCloseTo(GAMMA_TTFT.shape(), within(GAMMA_TTFT.shape() * 0.05));
    assertThat(ttft.scale()).isCloseTo(GAMMA_TTFT.scale(), within(GAMMA_TTFT.scale() * 0.05));
    Distribution.Gamma itl = (Distribution.Gamma) g.profile().itl();
    assertThat(itl.shape()).isCloseTo(GAMMA_ITL.shape(), within(GAMMA_ITL.shape() * 0.05));
    assertThat(itl.scale()).isCloseTo(GAMMA_ITL.scale(), within(GAMMA_ITL.scale() * 0.05));
  }

  @Test
  void theWrittenFileLoadsBackToExactlyTheFittedProfiles() throws Exception {
    ProfileCatalog catalog = ProfileCatalog.builtIn().with(YAML.readTree(written()));
    for (ProfileFit f : fit.fits()) {
      assertThat(catalog.require(f.profile().name())).isEqualTo(f.profile());
    }
    // The models mapping sends each recorded model to its own profile.
    assertThat(catalog.forModel(LOGNORMAL_MODEL)).isEqualTo(fitOf(LOGNORMAL_MODEL).profile());
    assertThat(catalog.forModel(GAMMA_MODEL)).isEqualTo(fitOf(GAMMA_MODEL).profile());
  }

  @Test
  void synthesisWithTheFittedProfileMatchesTheRecordings() throws Exception {
    ProfileCatalog catalog = ProfileCatalog.builtIn().with(YAML.readTree(written()));
    OpenAiChatCompletions chat = new OpenAiChatCompletions(
        new SynthesisSettings(catalog, Generators.lorem(), null, Speed.NORMAL));
    SplittableRandom truth = new SplittableRandom(99);
    Distribution trueTtft = new Distribution.LogNormal(TTFT_MU, TTFT_SIGMA);
    int n = 1000;
    double[] synthesizedTtft = new double[n];
    double[] expectedTtft = new double[n];
    double[] synthesizedOutput = new double[n];
    List<Double> synthesizedGaps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonNode body = JSON.readTree("{\"model\": \"" + LOGNORMAL_MODEL + "\", \"stream\": true,"
          + " \"seed\": " + i + ", \"stream_options\": {\"include_usage\": true},"
          + " \"messages\": [{\"role\": \"user\", \"content\": \"Tell me about Oslo.\"}]}");
      ResponsePlan plan = chat.synthesize(body, RequestOptions.NONE, 1_767_225_600L);
      ExchangeSample s = SampleExtractor.extract(asRecording(plan, i)).sample();
      synthesizedTtft[i] = s.ttftMs();
      expectedTtft[i] = trueTtft.sample(truth) + PREFILL_MS_PER_1K * s.promptTokens() / 1000.0;
      synthesizedOutput[i] = s.outputTokens();
      for (double gap : s.gapsMs()) {
        synthesizedGaps.add(gap);
      }
    }
    List<ExchangeSample> recorded = fit.samples().get(LOGNORMAL_MODEL);
    double[] recordedGaps = recorded.stream().flatMapToDouble(r -> java.util.Arrays.stream(r.gapsMs()))
        .toArray();
    double[] recordedOutput = recorded.stream().mapToDouble(ExchangeSample::outputTokens).toArray();

    assertSameDistribution("ttft", synthesizedTtft, expectedTtft);
    assertSameDistribution("gaps",
        synthesizedGaps.stream().mapToDouble(Double::doubleValue).toArray(), recordedGaps);
    assertSameDistribution("output tokens", synthesizedOutput, recordedOutput);
  }

  private static void assertSameDistribution(String what, double[] a, double[] b) {
    KolmogorovSmirnovTest.TwoResult test = KolmogorovSmirnovTest.withDefaults().test(a, b);
    assertThat(test.getPValue()).as("%s: KS D=%s (n=%d, m=%d)", what, test.getStatistic(),
        a.length, b.length).isGreaterThan(0.01);
  }

  private static String written() {
    return ProfilesFileWriter.write(List.of("test"), fit.fits(), fit.models());
  }

  /** A synthesized plan as the recorder would have stored it: one chunk per frame. */
  private static RecordedExchange asRecording(ResponsePlan plan, int i) {
    List<Chunk> chunks = new ArrayList<>();
    for (Frame f = plan.frames().next(); f != null; f = plan.frames().next()) {
      chunks.add(new Chunk(f.offsetNanos() / 1000, f.bytes()));
    }
    List<Header> headers = plan.headers().stream()
        .map(h -> new Header(h.getKey(), h.getValue())).toList();
    RecordedExchange template = OpenAiStreams.exchange("s", LOGNORMAL_MODEL, 1, 1, new long[0]);
    return new RecordedExchange("synth-" + i, "fp", "openai", "chat.completions", LOGNORMAL_MODEL,
        0, template.request(), plan.status(), headers, plan.headersOffsetNanos() / 1000, chunks,
        null, true, List.of());
  }
}
