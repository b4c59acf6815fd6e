package io.llmsim.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Only a buffer the io_uring transport made for a read, and nobody touched, is let through. */
class FailingLeakDetectorTest {
  private static final String CREATED_BY_IO_URING = "Created at:\n"
      + "\tio.netty.buffer.AbstractByteBufAllocator.directBuffer(AbstractByteBufAllocator.java:159)\n"
      + "\t" + FailingLeakDetector.IO_URING_READ + "(AbstractIoUringStreamChannel.java:444)\n";

  @Test
  void anUntouchedIoUringReadBufferIsTheTransportsOwn() {
    assertTrue(FailingLeakDetector.isUntouchedTransportReadBuffer(
        "\nRecent access records: \n" + CREATED_BY_IO_URING));
  }

  @Test
  void aBufferAHandlerTouchedOrOneMadeElsewhereStillFails() {
    assertFalse(FailingLeakDetector.isUntouchedTransportReadBuffer("\nRecent access records: \n"
        + "#1:\n\tio.llmsim.proxy.ApiHandler.channelRead(ApiHandler.java:80)\n"
        + CREATED_BY_IO_URING));
    assertFalse(FailingLeakDetector.isUntouchedTransportReadBuffer("\nRecent access records: \n"
        + "Created at:\n\tio.llmsim.proxy.PlanWriter.write(PlanWriter.java:120)\n"));
  }
}
