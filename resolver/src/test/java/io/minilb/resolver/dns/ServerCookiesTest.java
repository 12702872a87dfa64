package io.minilb.resolver.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCookiesTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SECRET = HEX.parseHex("e5e973e5a6b2a43f48e7dc849e37bfcf");

  private final AtomicLong clock = new AtomicLong();

  private ServerCookies shared() {
    return ServerCookies.of(List.of(SECRET), clock::get);
  }

  private static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  @Test
  void rfc9018A1_aClientCookieAlone_getsTheServerCookieOfTheExample() throws Exception {
    clock.set(1559731985_000L);

    ServerCookies.Reply r =
        shared().reply(HEX.parseHex("2464c4abcf10c957"), InetAddress.getByName("198.51.100.100"));

    assertThat(hex(r.option())).isEqualTo("2464c4abcf10c957010000005cf79f111f8130c3eee29480");
    assertThat(r.valid()).isFalse();
  }

  @Test
  void rfc9018A2_aValidCookieOlderThanHalfAnHour_isRenewed() throws Exception {
    clock.set(1559734385_000L);

    ServerCookies.Reply r =
        shared()
            .reply(
                HEX.parseHex("2464c4abcf10c957010000005cf79f111f8130c3eee29480"),
                InetAddress.getByName("198.51.100.100"));

    assertThat(r.valid()).isTrue();
    assertThat(hex(r.option())).isEqualTo("2464c4abcf10c957010000005cf7a871d4a564a1442aca77");
  }

  @Test
  void rfc9018A3_anotherClient() throws Exception {
    clock.set(1559734700_000L);

    ServerCookies.Reply r =
        shared().reply(HEX.parseHex("fc93fc62807ddb86"), InetAddress.getByName("203.0.113.203"));

    assertThat(hex(r.option())).isEqualTo("fc93fc62807ddb86010000005cf7a9acf73a7810aca2381e");
  }

  @Test
  void aYoungValidCookie_isReturnedAsItCame() throws Exception {
    clock.set(1559731985_000L);
    byte[] issued = HEX.parseHex("2464c4abcf10c957010000005cf79f111f8130c3eee29480");
    clock.addAndGet(60_000);

    ServerCookies.Reply r = shared().reply(issued, InetAddress.getByName("198.51.100.100"));

    assertThat(r.valid()).isTrue();
    assertThat(r.option()).isEqualTo(issued);
  }

  @Test
  void aCookieIsBoundToTheAddressTheTimeWindowAndTheSecret() throws Exception {
    InetAddress a = InetAddress.getByName("198.51.100.100");
    clock.set(1559731985_000L);
    byte[] issued = shared().reply(HEX.parseHex("2464c4abcf10c957"), a).option();

    assertThat(shared().reply(issued, InetAddress.getByName("198.51.100.101")).valid()).isFalse();
    clock.set(1559731985_000L + 3_601_000);
    assertThat(shared().reply(issued, a).valid()).as("more than an hour old").isFalse();
    clock.set(1559731985_000L - 301_000);
    assertThat(shared().reply(issued, a).valid()).as("more than 5 minutes ahead").isFalse();
    clock.set(1559731985_000L);
    var other = ServerCookies.of(List.of(new byte[16]), clock::get);
    assertThat(other.reply(issued, a).valid()).isFalse();
    byte[] bogus = issued.clone();
    bogus[23] ^= 1;
    assertThat(shared().reply(bogus, a).valid()).isFalse();
  }

  @Test
  void aRandomSecretRotates_andThePreviousIsAcceptedUntilTheNextRotation() throws Exception {
    InetAddress a = InetAddress.getByName("192.0.2.1");
    clock.set(1_700_000_000_000L);
    ServerCookies cookies = ServerCookies.random(clock::get);
    long rotation = ServerCookies.ROTATION.toMillis();
    clock.addAndGet(rotation - 60_000);
    byte[] issued = cookies.reply(new byte[8], a).option();

    clock.addAndGet(120_000); // just past the rotation
    ServerCookies.Reply afterRotation = cookies.reply(issued, a);

    assertThat(afterRotation.valid()).isTrue();
    assertThat(afterRotation.option()).as("re-issued under the new secret").isNotEqualTo(issued);
    clock.addAndGet(30 * 60_000); // the renewed cookie is still current
    assertThat(cookies.reply(afterRotation.option(), a).valid()).isTrue();
  }

  @Test
  void secretsFromAFile_theFirstMakesCookies_allAreAccepted(@TempDir Path dir) throws Exception {
    InetAddress a = InetAddress.getByName("192.0.2.1");
    clock.set(1_700_000_000_000L);
    byte[] byOld = ServerCookies.of(List.of(SECRET), clock::get).reply(new byte[8], a).option();
    Path file = dir.resolve("secrets");
    Files.writeString(file, "# new first\n00112233445566778899aabbccddeeff\n\n" + hex(SECRET));

    ServerCookies cookies = ServerCookies.fromFile(file, clock::get);

    assertThat(cookies.reply(byOld, a).valid()).isTrue();
    byte[] fresh = cookies.reply(byOld, a).option();
    assertThat(fresh).isNotEqualTo(byOld);
    var newOnly =
        ServerCookies.of(List.of(HEX.parseHex("00112233445566778899aabbccddeeff")), clock::get);
    assertThat(newOnly.reply(fresh, a).valid()).isTrue();
  }

  @Test
  void aFileWithoutAValidSecret_isRejectedWithTheFlagName(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secrets");
    Files.writeString(file, "not hex\n");

    assertThatThrownBy(() -> ServerCookies.fromFile(file, clock::get))
        .hasMessageContaining("--cookie-secret-file");
    assertThatThrownBy(() -> ServerCookies.fromFile(dir.resolve("missing"), clock::get))
        .hasMessageContaining("--cookie-secret-file");
  }
}
