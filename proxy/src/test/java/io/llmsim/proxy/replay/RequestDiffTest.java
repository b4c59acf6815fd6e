package io.llmsim.proxy.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RequestDiffTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void namesEachDifferingFieldRequestFirst() throws Exception {
    RequestDiff diff = RequestDiff.between("gpt-4o-mini",
        json("{'temperature':0.7,'messages':[{'role':'user','content':'a'},"
            + "{'role':'user','content':'b'}],'tools':[{'x':1}]}"),
        "gpt-4o",
        json("{'temperature':0.2,'messages':[{'role':'user','content':'a'}],'stream':true}"));
    assertThat(diff.lines()).containsExactly(
        "model: gpt-4o-mini ≠ gpt-4o",
        "messages: 2 items ≠ 1 item",
        "stream: absent ≠ true",
        "temperature: 0.7 ≠ 0.2",
        "tools: [{\"x\":1}] ≠ absent");
    assertThat(diff.fields()).isEqualTo(5);
  }

  @Test
  void longValuesAreSaidToDifferRatherThanPrinted() throws Exception {
    String longText = "x".repeat(60);
    RequestDiff diff = RequestDiff.between("m",
        json("{'messages':[{'content':'" + longText + "'}]}"), "m",
        json("{'messages':[{'content':'short'}]}"));
    assertThat(diff.lines()).containsExactly("messages[0].content differs");
    assertThat(diff.fields()).isOne();
  }

  @Test
  void identicalBodiesHaveNoDifference() throws Exception {
    RequestDiff diff = RequestDiff.between("m", json("{'a':1}"), "m", json("{'a':1}"));
    assertThat(diff.lines()).isEmpty();
    assertThat(diff.fields()).isZero();
  }

  private static JsonNode json(String singleQuoted) throws Exception {
    return JSON.readTree(singleQuoted.replace('\'', '"'));
  }
}
