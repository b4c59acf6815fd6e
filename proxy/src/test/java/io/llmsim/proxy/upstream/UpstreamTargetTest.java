package io.llmsim.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Joining a configured upstream with a request's path: the host, port and prefix always come
 * from the upstream, and a path that could lead elsewhere (or climb out of the prefix) is refused
 * with a message that says why.
 */
class UpstreamTargetTest {
  private static final Upstream GATEWAY = Upstream.of("openai", "http://gateway.test:8443/llm");
  private static final Upstream OPENAI = Upstream.of("openai", "https://api.openai.com");

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/v1/chat/completions | ''            | http://gateway.test:8443/llm/v1/chat/completions",
      "/v1beta/models/gemini-2.0-flash:generateContent | alt=sse | "
          + "http://gateway.test:8443/llm/v1beta/models/gemini-2.0-flash:generateContent?alt=sse",
      "/v1/models/ft:gpt-4o:acme:x@y | ''    | http://gateway.test:8443/llm/v1/models/ft:gpt-4o:acme:x@y",
      "/v1/models/gpt%204 | a=1&b=%2F/?    | http://gateway.test:8443/llm/v1/models/gpt%204?a=1&b=%2F/?",
  })
  void plainPathsGoUnderThePrefixOfTheConfiguredHost(String path, String query, String url) {
    UpstreamTarget target = new UpstreamTarget(GATEWAY, path, query);

    assertThat(target.uri()).isEqualTo(URI.create(url));
    assertThat(target.uri().getHost()).isEqualTo("gateway.test");
    assertThat(target.requestTarget()).isEqualTo(url.substring("http://gateway.test:8443".length()));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "@127.0.0.1:9/stolen",           // userinfo: the upstream's host:port becomes a user name
      ".evil.example/x",               // api.openai.com.evil.example
      ":9/x",                          // another port
      "http://evil.example/x",         // absolute form
      "//evil.example/x",              // network-path reference
      "/v1//x",                        // an empty segment anywhere
      "\\\\evil.example\\x",           // backslashes, which some parsers take for slashes
      "/v1\\..\\..\\admin",
      "/v1/chat/completions\r\nHost: evil.example",
      "/v1/chat completions",
      "/v1/x#frag",
      "/v1/x?y",
      "/v1/../../admin",
      "/v1/./x",
      "/v1/%2e%2e/%2E%2E/admin",       // encoded dot segments
      "/v1/..%2F..%2Fadmin",           // encoded slashes
      "/%2F%2Fevil.example/x",
      "/v1/x%5C..%5Cadmin",            // encoded backslashes
      "/v1/x%0D%0AHost:%20evil",       // encoded line breaks
      "/v1/%252e%252e/admin",          // encoded twice
      "/v1/%25252F",                   // encoded three times
      "/v1/x%2",                       // a broken escape
      "/v1/mod\u00e8le",               // not ASCII
      "",
  })
  void pathsThatCouldLeaveTheUpstreamAreRefused(String path) {
    for (Upstream upstream : new Upstream[] {GATEWAY, OPENAI}) {
      assertThatThrownBy(() -> new UpstreamTarget(upstream, path, ""))
          .isInstanceOf(UpstreamTarget.RefusedException.class)
          .hasMessageStartingWith("the path '")
          .hasMessageContaining("cannot be sent to an upstream: ")
          .hasMessageNotContaining("\r").hasMessageNotContaining("\n");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"a b", "x#y", "a=\r\nHost: evil", "k=v\\", "a=%zz", "q=\u00e9"})
  void queriesThatAreNotPlainUrlTextAreRefused(String query) {
    assertThatThrownBy(() -> new UpstreamTarget(OPENAI, "/v1/chat/completions", query))
        .isInstanceOf(UpstreamTarget.RefusedException.class)
        .hasMessageContaining("in the query");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "@127.0.0.1:9/stolen      | it must start with '/'",
      "//evil/x                 | it has an empty segment ('//')",
      "/v1/%2e%2e/x             | it has a dot segment ('..', encoded)",
      "/v1/..%2Fx               | it has '/' percent-encoded",
      "/v1/x%0Ay                | it has a line feed percent-encoded",
      "/v1\\x                   | it has a backslash, which a URL cannot carry unencoded",
  })
  void theMessageSaysWhy(String path, String why) {
    assertThatThrownBy(() -> new UpstreamTarget(OPENAI, path, ""))
        .hasMessageContaining(why);
  }

  @Test
  void aQuotedPathIsPrintableAndShort() {
    String path = "/v1/\u0007" + "x".repeat(500);

    assertThatThrownBy(() -> new UpstreamTarget(OPENAI, path, ""))
        .hasMessageContaining("'/v1/\\u0007xxx")
        .hasMessageContaining("...'")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(260));
  }
}
