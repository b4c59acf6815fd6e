package io.llmsim.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoadOptionsTest {
  @Test
  void urlParts() {
    LoadOptions o = LoadOptions.builder("http://127.0.0.1:8080/v1/chat/completions?a=b").build();
    assertThat(o.host()).isEqualTo("127.0.0.1");
    assertThat(o.port()).isEqualTo(8080);
    assertThat(o.pathAndQuery()).isEqualTo("/v1/chat/completions?a=b");
    assertThat(LoadOptions.builder("http://localhost").build().pathAndQuery()).isEqualTo("/");
    assertThat(LoadOptions.builder("http://localhost").build().port()).isEqualTo(80);
  }

  @Test
  void defaults() {
    LoadOptions o = LoadOptions.builder("http://localhost/").build();
    assertThat(o.ioThreads()).isEqualTo(1);
    assertThat(o.streaming()).isTrue();
    assertThat(o.body()).contains("\"stream\":true");
    assertThat(o.measuresLateness()).isFalse();
    assertThat(LoadOptions.builder("http://localhost/").streaming(false).build().body())
        .contains("\"stream\":false");
  }

  @Test
  void rejectsHttpsAndNonsense() {
    assertThatThrownBy(() -> LoadOptions.builder("https://localhost/").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoadOptions.builder("http://localhost/").concurrency(0).build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
