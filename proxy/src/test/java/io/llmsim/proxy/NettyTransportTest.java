package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

class NettyTransportTest {
  @Test
  void withoutAChoiceTheBestTransportTheKernelOffersIsTaken() {
    String asked = System.getProperty("llmsim.transport", "");
    assumeTrue(asked.isEmpty(), "this run forces llmsim.transport=" + asked);

    String expected = IoUring.isAvailable() ? "io_uring" : Epoll.isAvailable() ? "epoll" : "nio";
    assertThat(NettyTransport.name()).isEqualTo(expected);
  }
}
