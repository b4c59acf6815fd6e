package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server out of file descriptors: a child JVM limited to 128 gets 300 connections. It must log
 * the condition in a line or two (not a stack trace per failed accept), keep answering on the
 * connections it holds, and accept again once descriptors are free. On each transport: they report
 * accept failures differently (io_uring retried at once, epoll and NIO once a second).
 */
class AcceptBackoffTest {
  private static final int LIMIT = 128;
  private static final int FLOOD = 300;

  @ParameterizedTest
  @ValueSource(strings = {"io_uring", "epoll", "nio"})
  void outOfDescriptorsPausesAcceptingAndKeepsServing(String transport, @TempDir Path dir)
      throws Exception {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "ulimit in bash");
    Path log = dir.resolve("stderr.txt");
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder("bash", "-c",
        "ulimit -n " + LIMIT + " && exec \"$0\" -Dllmsim.transport=" + transport
            + " -cp \"$1\" io.llmsim.proxy.FdLimitedServer", java, classPath)
        .redirectError(log.toFile())
        .start();
    List<Socket> flood = new ArrayList<>();
    try {
      int port = port(child);
      try (RawHttpClient kept = new RawHttpClient(port)) {
        assertThat(kept.send(RawHttpClient.get("/health")).read().status()).isEqualTo(200);
        for (int i = 0; i < FLOOD; i++) {
          flood.add(new Socket("127.0.0.1", port)); // the kernel's backlog completes them
        }
        TimeUnit.MILLISECONDS.sleep(1500); // several paused and failed accepts

        assertThat(kept.send(RawHttpClient.get("/health")).read().status()).isEqualTo(200);

        for (Socket socket : flood) {
          socket.close();
        }
        flood.clear();
        try (RawHttpClient fresh = new RawHttpClient(port)) {
          assertThat(fresh.send(RawHttpClient.get("/health")).read().status()).isEqualTo(200);
        }
      }
    } finally {
      for (Socket socket : flood) {
        socket.close();
      }
      child.getOutputStream().close();
      if (!child.waitFor(20, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertThat(lines).as("the child's log").anyMatch(l -> l.contains("cannot accept connections")
        && l.contains("Too many open files") && l.contains("limit " + LIMIT));
    assertThat(lines).as("the child's log").hasSizeLessThanOrEqualTo(3)
        .noneMatch(l -> l.startsWith("\tat "));
  }

  private static int port(Process child) throws Exception {
    BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("the child's first line").startsWith("PORT ");
    return Integer.parseInt(line.substring("PORT ".length()));
  }
}
