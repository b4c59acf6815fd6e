package io.llmsim.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer while it ran. Registered for every test
 * class through JUnit's extension auto-detection (see {@code junit-platform.properties} in the test
 * modules).
 *
 * <p>Leaks are only noticed when a leaked buffer has been collected and a later allocation polls the
 * detector's queue, so after the class the extension collects garbage and allocates a few tracked
 * buffers before it looks.
 */
public final class LeakCheckExtension implements AfterAllCallback {
  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    for (int round = 0; round < 3; round++) {
      System.gc();
      Thread.sleep(20);
      poll(PooledByteBufAllocator.DEFAULT);
      poll(UnpooledByteBufAllocator.DEFAULT);
    }
    List<String> leaks = FailingLeakDetector.drain();
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          leaks.size() + " Netty buffer leak(s) in " + context.getDisplayName() + ":\n"
              + String.join("\n", leaks));
    }
  }

  private static void poll(ByteBufAllocator allocator) {
    for (int i = 0; i < 8; i++) {
      ByteBuf probe = allocator.directBuffer(8);
      probe.release();
      probe = allocator.heapBuffer(8);
      probe.release();
    }
  }
}
