package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TablesTest {

  @Test
  void events_printTheirReasonObjectAndMessage_asKubectlDoes() {
    String list =
        """
        {"kind":"EventList","metadata":{"resourceVersion":"7"},"items":[{
          "metadata":{"name":"evil.1a2b3c4d","namespace":"default"},
          "involvedObject":{"kind":"Service","name":"evil","namespace":"default"},
          "type":"Warning","reason":"HostRefused",
          "message":"minilb: refused: the zone apex is reserved"}]}
        """;

    String table = Tables.toTable(list, "Event");

    assertThat(table)
        .contains("\"name\":\"Reason\"", "\"name\":\"Message\"")
        .contains(
            "\"Warning\",\"HostRefused\",\"service/evil\","
                + "\"minilb: refused: the zone apex is reserved\"");
  }
}
