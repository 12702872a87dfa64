package io.minilb.resolver.it;

import io.minilb.resolver.Resolver;
import io.minilb.resolver.ResolverConfig;
import io.minilb.resolver.dns.ZoneText;
import io.minilb.resolver.store.SnapshotFile;
import io.minilb.snapshot.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A resolver started the way users start one — {@link Resolver#start} from a {@link ResolverConfig}
 * — that answers zone-file lines it loads from its {@code --snapshot-file}, with no controller
 * reachable (the restart-without-a-controller path).
 */
final class Served implements AutoCloseable {

  /** A controller address where nothing listens. */
  static final String NO_CONTROLLER = "127.0.0.1:1";

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final Resolver resolver;
  private final Path dir;

  private Served(Resolver resolver, Path dir) {
    this.resolver = resolver;
    this.dir = dir;
  }

  static Served start(String zoneLines) throws Exception {
    return start(zoneLines, b -> b);
  }

  static Served start(String zoneLines, UnaryOperator<ResolverConfig.Builder> settings)
      throws Exception {
    return start(ZoneText.snapshot(zoneLines), settings);
  }

  static Served start(Snapshot snapshot, UnaryOperator<ResolverConfig.Builder> settings)
      throws Exception {
    Path dir = Files.createTempDirectory("minilb-served");
    Path file = dir.resolve("snapshot.pb");
    new SnapshotFile(file).write(snapshot);
    var config = settings.apply(ResolverConfig.builder(List.of(NO_CONTROLLER)).snapshotFile(file));
    return new Served(Resolver.start(config.build()), dir);
  }

  InetSocketAddress address() {
    return resolver.dnsAddress();
  }

  int port() {
    return resolver.dnsAddress().getPort();
  }

  /** The value of one series on the ops port's /metrics, or 0 when it is absent. */
  double metric(String series) throws IOException, InterruptedException {
    var uri = URI.create("http://127.0.0.1:" + resolver.httpAddress().getPort() + "/metrics");
    String body =
        HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    var m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Override
  public void close() {
    resolver.close();
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
