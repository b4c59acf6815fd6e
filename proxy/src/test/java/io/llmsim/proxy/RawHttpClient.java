package io.llmsim.proxy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately small HTTP/1.1 client over a plain socket, for what SDKs hide: exact bytes, chunk
 * boundaries, pipelining, malformed requests, connection closing.
 */
final class RawHttpClient implements AutoCloseable {
  /**
   * One response: status, lower-cased headers, the body, and its chunks as they were framed (as
   * text and as the exact bytes).
   */
  record Response(int status, Map<String, String> headers, byte[] body, List<String> chunks,
      List<Long> chunkArrivalNanos, List<byte[]> chunkBytes) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttpClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  static String post(String path, String body, String... headers) {
    StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    request.append("Content-Type: application/json\r\nContent-Length: ")
        .append(bytes.length).append("\r\n\r\n").append(body);
    return request.toString();
  }

  static String get(String path, String... headers) {
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    return request.append("\r\n").toString();
  }

  RawHttpClient send(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.UTF_8));
    out.flush();
    return this;
  }

  /** A response to a HEAD request: status and headers, and no body whatever they say. */
  Response readHead() throws IOException {
    int status = status();
    return new Response(status, headers(), new byte[0], List.of(), List.of(), List.of());
  }

  /** After {@link #readHead}: the next chunk of a chunked body, as it arrives. */
  String readChunk() throws IOException {
    int size = Integer.parseInt(line().trim(), 16);
    byte[] chunk = in.readNBytes(size);
    line();
    return new String(chunk, StandardCharsets.UTF_8);
  }

  Response read() throws IOException {
    int status = status();
    Map<String, String> headers = headers();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    List<String> chunks = new ArrayList<>();
    List<Long> arrivals = new ArrayList<>();
    List<byte[]> chunkBytes = new ArrayList<>();
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      while (true) {
        int size = Integer.parseInt(line().trim(), 16);
        if (size == 0) {
          line();
          break;
        }
        byte[] chunk = in.readNBytes(size);
        arrivals.add(System.nanoTime());
        line();
        chunks.add(new String(chunk, StandardCharsets.UTF_8));
        chunkBytes.add(chunk);
        body.write(chunk);
      }
    } else if (headers.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    }
    return new Response(status, headers, body.toByteArray(), chunks, arrivals, chunkBytes);
  }

  private int status() throws IOException {
    return Integer.parseInt(line().split(" ")[1]);
  }

  private Map<String, String> headers() throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(); !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    return headers;
  }

  /** Every byte until the server closes the connection, unparsed (for cut answers). */
  byte[] readUntilClosed() throws IOException {
    return in.readAllBytes();
  }

  /** True when the server closed the connection (reads end of stream). */
  boolean closedByServer() throws IOException {
    try {
      return in.read() == -1;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b == -1) {
        throw new EOFException("connection closed mid-response");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
