package io.llmsim.proxy;

import java.io.InputStream;

/**
 * A server in a child JVM, for tests that change process limits: prints {@code PORT <n>}, serves
 * until its stdin closes, then stops.
 */
final class FdLimitedServer {
  private FdLimitedServer() {}

  public static void main(String[] args) throws Exception {
    try (LlmSimServer server = LlmSimServer.start(
        ServerConfig.defaults().withPort(0).withSynthesis(TestServers.instant()))) {
      System.out.println("PORT " + server.port());
      System.out.flush();
      InputStream in = System.in;
      while (in.read() != -1) {
        // serve until the test closes our stdin
      }
    }
  }
}
