package io.llmsim.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.llmsim.store.Redactor;
import io.llmsim.store.fixtures.FixtureSets;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code fixtures verify --against-upstream} sends the real key with every request, and a fixture
 * file may come from anyone's pull request: with the configured upstream and a second server
 * standing for an attacker's, a recorded path that could lead elsewhere is refused, named in the
 * output and sent nowhere, while a plain one goes to the configured upstream, under its prefix.
 */
class FixturesDriftTargetTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "sk-proj-real-nightly-key-0123456789abcdefghij";

  @TempDir Path dir;
  private WireMockServer upstream;
  private WireMockServer attacker;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void startServers() {
    upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    attacker = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    upstream.start();
    attacker.start();
    for (WireMockServer s : List.of(upstream, attacker)) {
      s.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
          .withHeader("content-type", "application/json").withBody("{\"stolen\":true}")));
    }
  }

  @AfterEach
  void stopServers() {
    upstream.stop();
    attacker.stop();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "@127.0.0.1:ATTACKER/stolen",
      ":ATTACKER/stolen",
      ".evil.example/stolen",
      "http://127.0.0.1:ATTACKER/stolen",
      "//127.0.0.1:ATTACKER/stolen",
      "\\\\127.0.0.1:ATTACKER\\stolen",
      "/%2F%2F127.0.0.1:ATTACKER/stolen",
      "/v1/chat/completions\r\nHost: 127.0.0.1:ATTACKER",
      "/v1/../../stolen",
  })
  void aRecordedPathThatCouldLeaveTheUpstreamIsRefusedAndNothingIsSent(String path)
      throws Exception {
    String malicious = path.replace("ATTACKER", Integer.toString(attacker.port()));
    Path set = setWithOneExchange(malicious);

    int status = run(Map.of("OPENAI_API_KEY", KEY), "fixtures", "verify", set.toString(),
        "--against-upstream", "--upstream", "openai=http://127.0.0.1:" + upstream.port());

    assertThat(served(attacker)).isEmpty();
    assertThat(served(upstream)).isEmpty();
    assertThat(status).isEqualTo(FixturesVerifyCommand.DRIFTED);
    assertThat(err.toString())
        .contains(".json: not checked: refused, nothing sent: the path '")
        .contains("' cannot be sent to an upstream: ")
        .contains("1 exchange re-sent, 1 drifted or not checked")
        .doesNotContain(KEY);
    // One line per problem: a line break in the path is printed escaped.
    assertThat(err.toString().lines().filter(l -> l.contains("refused"))).hasSize(1);
    assertThat(out.toString()).doesNotContain(KEY);
  }

  @Test
  void aPlainPathGoesToTheConfiguredUpstreamUnderItsPrefixWithTheKey() throws Exception {
    Path set = setWithOneExchange(null);

    run(Map.of("OPENAI_API_KEY", KEY), "fixtures", "verify", set.toString(),
        "--against-upstream", "--upstream", "openai=http://127.0.0.1:" + upstream.port()
            + "/gateway/");

    assertThat(served(upstream)).containsExactly("POST /gateway/v1/chat/completions");
    assertThat(upstream.getAllServeEvents().get(0).getRequest().getHeader("authorization"))
        .isEqualTo("Bearer " + KEY);
    assertThat(served(attacker)).isEmpty();
    assertThat(err.toString() + out).doesNotContain(KEY);
  }

  @Test
  // Should a URL with credentials ever be accepted again, serve would run until stopped.
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void upstreamUrlsWithCredentialsAreRefusedAndNeverEchoed() throws Exception {
    String secret = "S3cretPassw0rd";
    String withCredentials = "http://user:" + secret + "@127.0.0.1:" + upstream.port();

    assertThat(run(Map.of(), "--verbose", "serve", "--port", "0", "--upstream",
        "openai=" + withCredentials)).isEqualTo(2);
    assertThat(err.toString()).contains("llmsim: --upstream: upstream openai: URL must not "
        + "carry credentials, got http://***@127.0.0.1:" + upstream.port());

    // The same from the environment, from a config file, for a drift check, and in URLs too
    // broken to parse (a space, a slash in the password).
    Path config = dir.resolve("llmsim.yaml");
    Files.writeString(config, "upstreams:\n  anthropic: " + withCredentials + "\n");
    Path set = setWithOneExchange(null);
    List<String> errors = new ArrayList<>(List.of(err.toString()));
    assertThat(run(Map.of("LLMSIM_UPSTREAMS", withCredentials), "--verbose", "serve", "--port",
        "0")).isEqualTo(2);
    errors.add(err.toString());
    assertThat(run(Map.of(), "--verbose", "serve", "--port", "0", "--config", config.toString()))
        .isEqualTo(2);
    errors.add(err.toString());
    assertThat(run(Map.of("OPENAI_API_KEY", KEY), "--verbose", "fixtures", "verify",
        set.toString(), "--against-upstream", "--upstream", withCredentials)).isEqualTo(2);
    errors.add(err.toString());
    for (String broken : List.of("http://user:" + secret + " x@127.0.0.1:1",
        "http://user:" + secret + "/x@127.0.0.1:1", "ftp://user:" + secret + "@127.0.0.1:1")) {
      assertThat(run(Map.of(), "--verbose", "serve", "--port", "0", "--upstream", broken))
          .isEqualTo(2);
      errors.add(err.toString());
      assertThat(run(Map.of(), "--verbose", "serve", "--port", "0", "--upstream-proxy",
          broken.replace("http:", "gopher:").replace("ftp:", "gopher:"))).isEqualTo(2);
      errors.add(err.toString());
    }

    assertThat(errors).allSatisfy(e -> assertThat(e).startsWith("llmsim: ")
        .contains("***").doesNotContain(secret));
    assertThat(served(upstream)).isEmpty();
  }

  /**
   * A copy of the example set {@code fixtures/openai-chat} cut to one exchange, its recorded path
   * replaced when {@code path} is not null; the manifest renewed as {@code fixtures redact} does.
   */
  private Path setWithOneExchange(String path) throws IOException {
    Path source = exampleSet();
    Path set = dir.resolve("set");
    copy(source, set);
    List<Path> exchanges;
    try (Stream<Path> files = Files.walk(set)) {
      exchanges = files.filter(p -> p.toString().endsWith(".json"))
          .filter(p -> !p.getFileName().toString().equals("manifest.json"))
          .sorted().toList();
    }
    for (Path extra : exchanges.subList(1, exchanges.size())) {
      Files.delete(extra);
    }
    if (path != null) {
      ObjectNode file = (ObjectNode) JSON.readTree(exchanges.get(0).toFile());
      ((ObjectNode) file.path("request")).put("path", path);
      JSON.writerWithDefaultPrettyPrinter().writeValue(exchanges.get(0).toFile(), file);
    }
    FixtureSets.redact(set, Redactor.defaults());
    assertThat(FixtureSets.verify(set).ok()).isTrue();
    return set;
  }

  private static Path exampleSet() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("fixtures/openai-chat");
      if (Files.isRegularFile(candidate.resolve("manifest.json"))) {
        return candidate;
      }
    }
    throw new AssertionError("fixtures/openai-chat not found above " + Path.of("").toAbsolutePath());
  }

  private static void copy(Path from, Path to) throws IOException {
    if (Files.exists(to)) {
      try (Stream<Path> old = Files.walk(to)) {
        for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static List<String> served(WireMockServer s) {
    return s.getAllServeEvents().stream().map(ServeEvent::getRequest)
        .map(r -> r.getMethod() + " " + r.getUrl()).toList();
  }

  private int run(Map<String, String> env, String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    picocli.CommandLine cl = Main.newCommandLine(new LlmSimCommand(env));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }
}
