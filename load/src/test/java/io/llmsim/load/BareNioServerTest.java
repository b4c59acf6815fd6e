package io.llmsim.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BareNioServerTest {
  @Test
  void answersEachRequestHeadEvenWhenHeadsArriveSplitOrPipelined() throws Exception {
    try (BareNioServer server = new BareNioServer(0, 2);
        Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      String head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
      out.write(head.substring(0, 20).getBytes(StandardCharsets.US_ASCII)); // split mid-head
      out.flush();
      Thread.sleep(50);
      out.write((head.substring(20) + head + head).getBytes(StandardCharsets.US_ASCII));
      out.flush();

      String one = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
          + "content-length: 11\r\n\r\n{\"ok\":true}";
      byte[] expected = (one + one + one).getBytes(StandardCharsets.US_ASCII);
      InputStream in = socket.getInputStream();
      socket.setSoTimeout(5_000);
      assertThat(in.readNBytes(expected.length)).isEqualTo(expected);
    }
  }
}
