package io.llmsim.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.llmsim.load.LoadReport.ErrorKind;
import io.llmsim.testkit.SchedulingNoise;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the driver against real loopback servers; bounds are generous for a shared 2-core box. */
class LoadRunnerTest {
  private static final int TOKENS = 20;
  /** What the old fixed bound allowed on a quiet host. */
  private static final long QUIET_LATE_MILLIS = 50;

  @RegisterExtension final SchedulingNoise noise = new SchedulingNoise();

  private static LoadOptions.Builder shortRun(String url) {
    return LoadOptions.builder(url)
        .concurrency(10)
        .warmup(Duration.ofMillis(300))
        .duration(Duration.ofMillis(1500))
        .header("x-simulation-mode", "synthesize; profile=bench");
  }

  @Test
  void streamingRunCountsTokensAndLateness() throws Exception {
    try (TrivialStreamServer server = TrivialStreamServer.start(TrivialStreamServer.Config
        .streaming(0, Duration.ofMillis(10), Duration.ofMillis(5), TOKENS))) {
      LoadReport report = new LoadRunner(shortRun(server.url())
          .expectedSchedule(Duration.ofMillis(10), Duration.ofMillis(5))
          .build()).run();

      assertThat(report.totalErrors()).as(report.toText()).isZero();
      assertThat(report.requests()).isPositive();
      assertThat(report.minTokensPerRequest()).isEqualTo(TOKENS);
      assertThat(report.maxTokensPerRequest()).isEqualTo(TOKENS);
      // Tokens count when they arrive in the window, requests when they complete: they differ
      // by at most the streams in flight at either edge of the window.
      assertThat(report.tokenEvents())
          .isCloseTo(report.requests() * TOKENS, within(2L * 10 * TOKENS));
      assertThat(report.ttft().count() + report.interTokenGap().count())
          .isEqualTo(report.tokenEvents());
      assertThat(report.lateness().count()).isEqualTo(report.tokenEvents());
      // Lateness is the host's as much as the server's: bounded by the measured noise.
      assertThat(report.lateness().p50()).as("%s", noise)
          .isLessThan(noise.slackMillis(QUIET_LATE_MILLIS) * 1000);
      // The schedule makes a stream last at least ttft + (n-1) * itl = 105 ms.
      assertThat(report.endToEnd().p50()).isGreaterThanOrEqualTo(105_000);
      assertThat(report.ttft().p50()).isGreaterThanOrEqualTo(10_000);
      // Keep-alive: one connection per user for the whole run.
      assertThat(report.connects()).isEqualTo(10);
      assertThat(report.driverLoopLag().count()).isPositive();
      assertThat(server.takeWriteLateness().getTotalCount())
          .isGreaterThanOrEqualTo(report.tokenEvents());
      assertThat(report.toText()).contains("token lateness");
      assertThat(report.toJson()).contains("\"lateness_us\":{\"count\":" + report.tokenEvents());
    }
  }

  @Test
  void noLatenessWithoutExpectedSchedule() throws Exception {
    try (TrivialStreamServer server = TrivialStreamServer.start(TrivialStreamServer.Config
        .streaming(0, Duration.ZERO, Duration.ZERO, 3))) {
      LoadReport report = new LoadRunner(shortRun(server.url())
          .duration(Duration.ofMillis(500)).build()).run();

      assertThat(report.totalErrors()).as(report.toText()).isZero();
      assertThat(report.minTokensPerRequest()).isEqualTo(3);
      assertThat(report.maxTokensPerRequest()).isEqualTo(3);
      assertThat(report.lateness().count()).isZero();
      assertThat(report.toText()).doesNotContain("token lateness");
    }
  }

  @Test
  void nonStreamingRunCountsRequests() throws Exception {
    try (TrivialStreamServer server =
        TrivialStreamServer.start(TrivialStreamServer.Config.json(0))) {
      LoadReport report = new LoadRunner(shortRun(server.url()).streaming(false)
          .duration(Duration.ofMillis(800)).build()).run();

      assertThat(report.totalErrors()).as(report.toText()).isZero();
      assertThat(report.requests()).isGreaterThan(10);
      assertThat(report.requestsPerSecond()).isPositive();
      assertThat(report.endToEnd().count()).isEqualTo(report.requests());
      assertThat(report.tokenEvents()).isZero();
    }
  }

  @Test
  void refusedConnectionsAreCounted() throws Exception {
    TrivialStreamServer server = TrivialStreamServer.start(TrivialStreamServer.Config.json(0));
    String url = server.url();
    server.close();

    LoadReport report = new LoadRunner(shortRun(url).duration(Duration.ofMillis(300)).build())
        .run();

    assertThat(report.requests()).isZero();
    assertThat(report.errors().get(ErrorKind.CONNECT)).isPositive();
  }

  @Test
  void serverErrorStatusIsCounted() throws Exception {
    try (ScriptedServer server = new ScriptedServer(ctx -> {
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.INTERNAL_SERVER_ERROR,
          Unpooled.copiedBuffer("{\"error\":\"boom\"}", StandardCharsets.UTF_8));
      HttpUtil.setContentLength(response, response.content().readableBytes());
      ctx.writeAndFlush(response);
    })) {
      LoadReport report = new LoadRunner(shortRun(server.url())
          .duration(Duration.ofMillis(300)).build()).run();

      assertThat(report.requests()).isZero();
      assertThat(report.errors().get(ErrorKind.STATUS)).isPositive();
      assertThat(report.totalErrors()).isEqualTo(report.errors().get(ErrorKind.STATUS));
    }
  }

  @Test
  void streamClosedBeforeDoneIsCounted() throws Exception {
    try (ScriptedServer server = new ScriptedServer(ctx -> {
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      HttpUtil.setTransferEncodingChunked(head, true);
      ctx.write(head);
      ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(
          "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n", StandardCharsets.UTF_8)))
          .addListener(ChannelFutureListener.CLOSE);
    })) {
      LoadReport report = new LoadRunner(shortRun(server.url())
          .duration(Duration.ofMillis(300)).build()).run();

      assertThat(report.requests()).isZero();
      assertThat(report.errors().get(ErrorKind.INCOMPLETE_STREAM)).isPositive();
    }
  }

  @Test
  void streamEndedWithoutDoneIsCounted() throws Exception {
    try (ScriptedServer server = new ScriptedServer(ctx -> {
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      HttpUtil.setTransferEncodingChunked(head, true);
      ctx.write(head);
      ctx.writeAndFlush(new DefaultLastHttpContent(Unpooled.copiedBuffer(
          "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n", StandardCharsets.UTF_8)));
    })) {
      LoadReport report = new LoadRunner(shortRun(server.url())
          .duration(Duration.ofMillis(300)).build()).run();

      assertThat(report.requests()).isZero();
      assertThat(report.errors().get(ErrorKind.INCOMPLETE_STREAM)).isPositive();
      assertThat(report.errors().get(ErrorKind.CONNECTION_CLOSED)).isZero();
    }
  }

  @Test
  void closedBeforeHeadersIsCounted() throws Exception {
    try (ScriptedServer server = new ScriptedServer(ctx -> ctx.close())) {
      // Measured from the start, for a second: a starved host took over 0.6 s to get the first
      // ten requests answered with a close.
      LoadReport report = new LoadRunner(shortRun(server.url()).streaming(false)
          .warmup(Duration.ZERO).duration(Duration.ofSeconds(1)).build()).run();

      assertThat(report.requests()).isZero();
      assertThat(report.errors().get(ErrorKind.CONNECTION_CLOSED)).as(report.toText())
          .isPositive();
    }
  }

  @Test
  void silentServerTimesOut() throws Exception {
    try (ScriptedServer server = new ScriptedServer(ctx -> { })) {
      LoadReport report = new LoadRunner(shortRun(server.url())
          .warmup(Duration.ZERO)
          .duration(Duration.ofMillis(800))
          .requestTimeout(Duration.ofMillis(200)).build()).run();

      assertThat(report.requests()).isZero();
      assertThat(report.errors().get(ErrorKind.TIMEOUT)).isPositive();
    }
  }
}
