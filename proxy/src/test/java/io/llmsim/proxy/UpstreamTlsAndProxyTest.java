package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.proxy.TimedUpstream.Script;
import io.llmsim.proxy.upstream.OutboundProxy;
import io.llmsim.proxy.upstream.Upstream;
import io.llmsim.proxy.upstream.UpstreamSettings;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to the upstream with certificate and host-name verification, extra trusted CAs, and the way
 * out through a corporate HTTP CONNECT or SOCKS5 proxy (with {@code NO_PROXY} bypass).
 */
class UpstreamTlsAndProxyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT =
      "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String EVENT = "data: {\"choices\":[]}\n\n";

  @TempDir static Path dir;
  private static Path caPem;
  private static TimedUpstream upstream;

  /** A self-signed certificate for "localhost" only, made with the JDK's keytool. */
  @BeforeAll
  static void start() throws Exception {
    Path keystore = dir.resolve("upstream.p12");
    caPem = dir.resolve("upstream.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", "upstream", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit",
        "-keypass", "changeit");
    run(keytool, "-exportcert", "-rfc", "-alias", "upstream", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-file", caPem.toString());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    SslContext tls = SslContextBuilder.forServer(keys).build();
    upstream = new TimedUpstream(tls);
    upstream.script(Script.sse(0, EVENT, "data: [DONE]\n\n"));
  }

  @AfterAll
  static void stop() {
    upstream.close();
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(output).isZero();
  }

  private static RawHttpClient.Response forward(String host, UnaryOperator<UpstreamSettings> adjust)
      throws Exception {
    String url = "https://" + host + ":" + upstream.port();
    try (LlmSimServer server = TestServers.startForwarding(url, dir.resolve("store"), adjust);
        RawHttpClient client = new RawHttpClient(server.port())) {
      return client.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          "x-simulation-mode: passthrough")).read();
    }
  }

  private static UnaryOperator<UpstreamSettings> trusting(OutboundProxy proxy) {
    return s -> new UpstreamSettings(s.upstreams(), proxy, false, Map.of(), caPem);
  }

  private static String message(RawHttpClient.Response response) throws IOException {
    return JSON.readTree(response.body()).path("error").path("message").asText();
  }

  @Test
  void anUpstreamWhoseCertificateIsTrustedIsReachedOverTls() throws Exception {
    RawHttpClient.Response response = forward("localhost", trusting(null));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.chunks()).containsExactly(EVENT, "data: [DONE]\n\n");
  }

  @Test
  void anUntrustedCertificateIsRefused() throws Exception {
    RawHttpClient.Response response = forward("localhost", s -> s);
    assertThat(response.status()).isEqualTo(502);
    assertThat(message(response)).contains("could not reach the openai upstream")
        .containsIgnoringCase("certification path");
  }

  @Test
  void aCertificateForAnotherHostIsRefused() throws Exception {
    // The certificate names localhost only; 127.0.0.1 is the same machine but not that name.
    RawHttpClient.Response response = forward("127.0.0.1", trusting(null));
    assertThat(response.status()).isEqualTo(502);
    assertThat(message(response)).containsIgnoringCase("127.0.0.1");
  }

  @Test
  void upstreamTlsGoesThroughAnHttpConnectProxyUnlessTheHostIsExempt() throws Exception {
    try (ConnectProxy proxy = new ConnectProxy()) {
      OutboundProxy via = OutboundProxy.parse("http://127.0.0.1:" + proxy.port(), List.of());
      assertThat(forward("localhost", trusting(via)).chunks()).contains(EVENT);
      assertThat(proxy.tunnels).containsExactly("localhost:" + upstream.port());

      OutboundProxy exempt = OutboundProxy.parse("http://127.0.0.1:" + proxy.port(),
          List.of("localhost"));
      assertThat(forward("localhost", trusting(exempt)).chunks()).contains(EVENT);
      assertThat(proxy.tunnels).hasSize(1);
    }
  }

  @Test
  void upstreamTlsGoesThroughASocks5Proxy() throws Exception {
    try (SocksProxy proxy = new SocksProxy()) {
      OutboundProxy via = OutboundProxy.parse("socks5://127.0.0.1:" + proxy.port(), List.of());
      assertThat(forward("localhost", trusting(via)).chunks()).contains(EVENT);
      // The proxy resolves the name: llmsim sends it as given.
      assertThat(proxy.tunnels).containsExactly("localhost:" + upstream.port());
    }
  }

  @Test
  void proxyUrlsAndExemptionsParseAsCurlReadsThem() {
    OutboundProxy socks = OutboundProxy.parse("socks5://user:pw@proxy.corp:1081",
        List.of(".internal", "example.com"));
    assertThat(socks.type()).isEqualTo(OutboundProxy.Type.SOCKS5);
    assertThat(socks.port()).isEqualTo(1081);
    assertThat(socks.username()).isEqualTo("user");
    assertThat(socks.toString()).doesNotContain("pw");
    assertThat(socks.appliesTo("api.openai.com")).isTrue();
    assertThat(socks.appliesTo("llm.internal")).isFalse();
    assertThat(socks.appliesTo("example.com")).isFalse();
    assertThat(socks.appliesTo("api.example.com")).isFalse();
    assertThat(socks.appliesTo("notexample.com")).isTrue();
    assertThat(OutboundProxy.parse("proxy.corp:3128", List.of("*")).appliesTo("x")).isFalse();
    assertThat(Upstream.of("openai", "https://api.openai.com").port()).isEqualTo(443);
  }
}
