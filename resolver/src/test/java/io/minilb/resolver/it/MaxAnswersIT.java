package io.minilb.resolver.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Service with 5,000 ready endpoints, asked with dig over UDP (with and without EDNS) and TCP:
 * every answer carries some addresses and at most {@code --max-answers} (default 32), never TC with
 * nothing, and repeated queries hand out every endpoint.
 */
class MaxAnswersIT {

  private static final int ENDPOINTS = 5_000;
  private static final int MAX = 32;
  private static final Pattern A_LINE =
      Pattern.compile("(?m)^big\\.default\\.minilb\\.\\s+\\d+\\s+IN\\s+A\\s+(\\S+)$");
  private static Served server;

  @BeforeAll
  static void start() throws Exception {
    var zone = new StringBuilder(RealClientIT.ZONE);
    for (int i = 0; i < ENDPOINTS; i++) {
      zone.append("big.default.minilb. 5 IN A 10.")
          .append(100 + i / 65536)
          .append('.')
          .append(i / 256 % 256)
          .append('.')
          .append(i % 256)
          .append('\n');
    }
    server = Served.start(zone.toString());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void udpWithEdns_tcp_andUdpWithoutEdns_eachAnswerWithSomeButAtMostMaxAddresses()
      throws Exception {
    for (List<String> transport :
        List.of(
            List.<String>of(),
            List.of("+tcp"),
            List.of("+noedns"),
            List.of("+bufsize=512"),
            List.of("+bufsize=600"))) {
      for (String tool : List.of("dig", "kdig")) {
        if (tool.equals("kdig") && transport.contains("+noedns")) {
          continue;
        }
        var args = new ArrayList<>(transport);
        args.addAll(List.of("big.default.minilb.", "A"));
        Dig d = Dig.run(tool, server.port(), args.toArray(String[]::new));

        assertThat(d.status()).as(tool + " " + transport).isEqualTo("NOERROR");
        assertThat(d.flags()).as(tool + " " + transport).doesNotContain("tc");
        assertThat(addresses(d.raw())).as(tool + " " + transport).hasSizeBetween(20, MAX);
      }
    }
  }

  @Test
  void repeatedQueries_overUdpAndTcp_handOutEveryEndpoint() throws Exception {
    int rounds = ENDPOINTS / MAX + 10;
    int perRun = 20; // queries per dig process, so each run stays well within dig's time limit
    for (String transport : List.of("+notcp", "+tcp")) {
      Set<String> seen = new HashSet<>();
      for (int done = 0; done < rounds; done += perRun) {
        var args = new ArrayList<>(List.of(transport, "+noall", "+answer"));
        for (int i = 0; i < perRun; i++) {
          args.addAll(List.of("big.default.minilb.", "A"));
        }
        seen.addAll(addresses(Dig.run("dig", server.port(), args.toArray(String[]::new)).raw()));
      }
      assertThat(seen).as(transport).hasSize(ENDPOINTS);
    }
  }

  private static List<String> addresses(String digOutput) {
    var out = new ArrayList<String>();
    Matcher m = A_LINE.matcher(digOutput);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
