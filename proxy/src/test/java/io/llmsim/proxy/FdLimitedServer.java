package io.llmsim.proxy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A server in a child JVM, for tests that change process limits: answers one request of its own
 * (loading the classes a request needs: from a directory class path each class costs a file
 * descriptor, and a slow first answer on a busy machine should not count against the test), then
 * prints {@code PORT <n>} and serves until its stdin closes.
 */
final class FdLimitedServer {
  private FdLimitedServer() {}

  public static void main(String[] args) throws Exception {
    try (LlmSimServer server = LlmSimServer.start(
        ServerConfig.defaults().withPort(0).withSynthesis(TestServers.instant()))) {
      try (Socket self = new Socket("127.0.0.1", server.port())) {
        OutputStream out = self.getOutputStream();
        out.write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        self.getInputStream().readAllBytes();
      }
      System.out.println("PORT " + server.port());
      System.out.flush();
      InputStream in = System.in;
      while (in.read() != -1) {
        // serve until the test closes our stdin
      }
    }
  }
}
