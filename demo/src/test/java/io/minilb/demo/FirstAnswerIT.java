package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The shipped resolver's first answer costs no more than answering: with the image's flags, Netty's
 * pooled buffers do not start JDK Flight Recorder's event machinery (about 125 classes, tens of
 * milliseconds on the first query, which the first change after start used to wait for).
 */
class FirstAnswerIT {

  @Test
  void firstAnswer_withTheImageFlags_loadsNoFlightRecorderEvents(@TempDir Path dir)
      throws Exception {
    Path classes = dir.resolve("classes.log");
    try (var resolver =
            ShippedResolver.startWithJvmFlags(
                dir,
                List.of("-Xlog:class+load:file=" + classes),
                "--controller",
                "127.0.0.1:1",
                "--node-name",
                "first-answer");
        var socket = new DatagramSocket()) {
      socket.setSoTimeout(10_000);
      Message query =
          Message.newQuery(
              Record.newRecord(Name.fromConstantString("web.default.minilb."), Type.A, DClass.IN));
      byte[] out = query.toWire();
      socket.send(new DatagramPacket(out, out.length, resolver.dns));
      byte[] in = new byte[512];
      var reply = new DatagramPacket(in, in.length);
      socket.receive(reply); // SERVFAIL before any data, through the same reply path

      assertThat(new Message(java.util.Arrays.copyOf(in, reply.getLength())).getHeader().getID())
          .isEqualTo(query.getHeader().getID());
      String loaded = Files.readString(classes);
      assertThat(loaded).contains("io.minilb.resolver.dns"); // the log covers the answer
      assertThat(loaded)
          .doesNotContain("io.netty.buffer.AllocateChunkEvent")
          .doesNotContain("jdk.jfr.internal.MetadataLoader");
    }
  }
}
