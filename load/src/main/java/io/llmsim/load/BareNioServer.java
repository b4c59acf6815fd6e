package io.llmsim.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The non-streaming ceiling of this machine: a plain java.nio server, no Netty, no HTTP parser,
 * that answers every request head (everything up to a blank line; bodies are not expected) with
 * the same small JSON response. It is the "bare NIO server that does no JSON" a target can be set
 * against, measured in the same run as the server under test:
 *
 * <pre>java -cp llmsim.jar io.llmsim.load.BareNioServer PORT [SELECTOR_THREADS]</pre>
 */
public final class BareNioServer implements AutoCloseable {
  private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\n"
      + "content-type: application/json\r\ncontent-length: 11\r\n\r\n{\"ok\":true}")
      .getBytes(StandardCharsets.US_ASCII);

  private final ServerSocketChannel server;
  private final Loop[] loops;
  private final Thread acceptor;
  private volatile boolean closed;

  public BareNioServer(int port, int threads) throws IOException {
    server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", port), 1024);
    loops = new Loop[threads];
    for (int i = 0; i < threads; i++) {
      loops[i] = new Loop();
      new Thread(loops[i], "bare-nio-" + i).start();
    }
    acceptor = new Thread(this::accept, "bare-nio-accept");
    acceptor.start();
  }

  public int port() {
    return ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
  }

  private void accept() {
    int next = 0;
    while (!closed) {
      try {
        SocketChannel client = server.accept();
        client.configureBlocking(false);
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        loops[next++ % loops.length].adopt(client);
      } catch (IOException e) {
        if (!closed) {
          e.printStackTrace();
        }
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Loop loop : loops) {
      loop.selector.close();
    }
  }

  /** One selector thread: reads request heads and writes one response per head. */
  private final class Loop implements Runnable {
    private final Selector selector;
    private final Queue<SocketChannel> adopted = new ConcurrentLinkedQueue<>();
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);

    Loop() throws IOException {
      selector = Selector.open();
    }

    void adopt(SocketChannel client) {
      adopted.add(client);
      selector.wakeup();
    }

    @Override
    public void run() {
      try {
        while (!closed) {
          selector.select();
          for (SocketChannel client; (client = adopted.poll()) != null; ) {
            client.register(selector, SelectionKey.OP_READ, new Connection());
          }
          for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            serve(key);
          }
        }
      } catch (IOException | java.nio.channels.ClosedSelectorException e) {
        if (!closed) {
          e.printStackTrace();
        }
      }
    }

    private void serve(SelectionKey key) {
      SocketChannel client = (SocketChannel) key.channel();
      Connection connection = (Connection) key.attachment();
      try {
        if (key.isValid() && key.isReadable()) {
          in.clear();
          if (client.read(in) < 0) {
            key.cancel();
            client.close();
            return;
          }
          in.flip();
          int heads = connection.countHeads(in);
          connection.queue(heads);
        }
        if (!connection.flush(client)) {
          key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } else {
          key.interestOps(SelectionKey.OP_READ);
        }
      } catch (IOException e) {
        key.cancel();
        try {
          client.close();
        } catch (IOException ignored) {
          // closing a broken connection
        }
      }
    }
  }

  /** Per connection: where it is in the CRLF CRLF that ends a head, and what is left to write. */
  private static final class Connection {
    private int matched;
    /** Responses not yet written, in write mode (filled from 0 to position). */
    private ByteBuffer out = ByteBuffer.allocateDirect(4 * 1024);

    int countHeads(ByteBuffer bytes) {
      int heads = 0;
      while (bytes.hasRemaining()) {
        byte b = bytes.get();
        boolean next = b == ((matched & 1) == 0 ? '\r' : '\n');
        matched = next ? matched + 1 : (b == '\r' ? 1 : 0);
        if (matched == 4) {
          heads++;
          matched = 0;
        }
      }
      return heads;
    }

    void queue(int responses) {
      if (out.remaining() < responses * RESPONSE.length) {
        ByteBuffer larger = ByteBuffer.allocateDirect(
            Math.max(2 * out.capacity(), out.position() + responses * RESPONSE.length));
        out = larger.put(out.flip());
      }
      for (int i = 0; i < responses; i++) {
        out.put(RESPONSE);
      }
    }

    /** Writes what it can; true when nothing is left. */
    boolean flush(SocketChannel client) throws IOException {
      if (out.position() == 0) {
        return true;
      }
      out.flip();
      client.write(out);
      out.compact();
      return out.position() == 0;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: BareNioServer PORT [SELECTOR_THREADS]");
      System.exit(2);
    }
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    BareNioServer server = new BareNioServer(Integer.parseInt(args[0]), threads);
    System.out.println("bare NIO server listening on 127.0.0.1:" + server.port()
        + " (" + threads + " selector threads)");
  }
}
