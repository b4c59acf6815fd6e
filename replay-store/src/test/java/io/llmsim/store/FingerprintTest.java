package io.llmsim.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  private final Fingerprint fp = Fingerprint.defaults();

  private String of(String body) {
    return fp.compute("chat.completions", "gpt-4o-mini", Samples.utf8(body));
  }

  @Test
  void isHexSha256AndStable() {
    String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}";
    String a = of(body);
    assertThat(a).hasSize(64).matches("[0-9a-f]{64}");
    assertThat(of(body)).isEqualTo(a);
  }

  @Test
  void keyOrderWhitespaceAndNumberFormDoNotMatter() {
    String a = of("{\"model\":\"m\",\"temperature\":1,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}");
    String b = of("{ \"messages\" : [ { \"content\" : \"hi\", \"role\" : \"user\" } ],\n"
        + " \"temperature\": 1.0, \"model\": \"m\" }");
    assertThat(b).isEqualTo(a);
  }

  @Test
  void volatileFieldsDoNotMatter() {
    String a = of("{\"model\":\"m\",\"stream\":true,\"messages\":[]}");
    String b = of("{\"model\":\"m\",\"stream\":true,\"messages\":[],\"user\":\"u-42\","
        + "\"metadata\":{\"trace\":\"abc\"},\"stream_options\":{\"include_usage\":true},"
        + "\"store\":false,\"request_id\":\"r1\",\"prompt_cache_key\":\"p\","
        + "\"safety_identifier\":\"s\"}");
    assertThat(b).isEqualTo(a);
  }

  @Test
  void contentAndAnswerChangingParamsDo() {
    String base = of("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"content\":\"hi\"}]}");
    assertThat(of("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"content\":\"ho\"}]}"))
        .isNotEqualTo(base);
    assertThat(of("{\"model\":\"m\",\"stream\":false,\"messages\":[{\"content\":\"hi\"}]}"))
        .isNotEqualTo(base);
    assertThat(of("{\"model\":\"m\",\"messages\":[{\"content\":\"hi\"}]}")).isNotEqualTo(base);
    assertThat(of("{\"model\":\"m\",\"stream\":true,\"temperature\":0,"
        + "\"messages\":[{\"content\":\"hi\"}]}")).isNotEqualTo(base);
    assertThat(of("{\"model\":\"m\",\"stream\":true,\"seed\":1,"
        + "\"messages\":[{\"content\":\"hi\"}]}")).isNotEqualTo(base);
    assertThat(of("{\"model\":\"m\",\"stream\":true,\"tools\":[{\"type\":\"function\"}],"
        + "\"messages\":[{\"content\":\"hi\"}]}")).isNotEqualTo(base);
    byte[] body =
        Samples.utf8("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"content\":\"hi\"}]}");
    assertThat(fp.compute("responses", "gpt-4o-mini", body)).isNotEqualTo(base);
    assertThat(fp.compute("chat.completions", "gpt-4o", body)).isNotEqualTo(base);
  }

  @Test
  void extraIgnoredPointersAreConfigurable() {
    Fingerprint f = Fingerprint.builder().ignore(List.of("/seed", "/messages/0/name")).build();
    byte[] a = Samples.utf8("{\"seed\":1,\"messages\":[{\"name\":\"a\",\"content\":\"x\"}]}");
    byte[] b = Samples.utf8("{\"seed\":2,\"messages\":[{\"name\":\"b\",\"content\":\"x\"}]}");
    assertThat(f.compute("e", null, a)).isEqualTo(f.compute("e", null, b));
    assertThat(fp.compute("e", null, a)).isNotEqualTo(fp.compute("e", null, b));
    Fingerprint none = Fingerprint.builder().noDefaults().build();
    assertThat(none.compute("e", null, Samples.utf8("{\"user\":\"a\"}")))
        .isNotEqualTo(none.compute("e", null, Samples.utf8("{\"user\":\"b\"}")));
  }

  @Test
  void canonicalFormIsSortedAndCompact() {
    byte[] c = fp.canonical(Samples.utf8("{\"b\":[3,2.50],\"a\":{\"z\":null,\"y\":\"t\"},"
        + "\"user\":\"x\"}"));
    assertThat(new String(c, StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":{\"y\":\"t\",\"z\":null},\"b\":[3,2.5]}");
  }

  @Test
  void nonJsonBodiesHashAsBytes() {
    assertThat(fp.compute("e", "m", Samples.utf8("not json {")))
        .isNotEqualTo(fp.compute("e", "m", Samples.utf8("not json [")));
    assertThat(fp.compute("e", "m", new byte[0])).hasSize(64);
  }
}
