package io.minilb.resolver.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a real DNS client (ISC {@code dig} or Knot {@code kdig}) and parses its presentation output:
 * status, header flags and the records of each section, whitespace-normalised.
 */
public record Dig(
    String status,
    Set<String> flags,
    List<String> answer,
    List<String> authority,
    List<String> additional,
    String raw) {

  private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");
  private static final Pattern FLAGS = Pattern.compile(";; [Ff]lags: ([a-z ]*);");

  /** Runs {@code tool @127.0.0.1 -p port args...} with a short timeout and one try. */
  public static Dig run(String tool, int port, String... args)
      throws IOException, InterruptedException {
    var cmd = new ArrayList<>(List.of(tool, "@127.0.0.1", "-p", Integer.toString(port)));
    cmd.addAll(
        tool.equals("kdig")
            ? List.of("+timeout=2", "+retry=0")
            : List.of("+time=2", "+tries=1", "+nocookie"));
    cmd.addAll(List.of(args));
    Process p;
    // to a file, not a pipe: a zone transfer's output can outgrow the pipe and block the tool
    java.nio.file.Path output = java.nio.file.Files.createTempFile("dig", ".out");
    try {
      try {
        p =
            new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
      } catch (IOException e) {
        throw new IOException(
            tool + " is not installed (apt-get install bind9-dnsutils knot-dnsutils)", e);
      }
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(tool + " timed out: " + cmd);
      }
      return parse(java.nio.file.Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      java.nio.file.Files.deleteIfExists(output);
    }
  }

  static Dig parse(String out) {
    Matcher s = STATUS.matcher(out);
    Matcher f = FLAGS.matcher(out);
    return new Dig(
        s.find() ? s.group(1).replace("NOTIMPL", "NOTIMP") : "NONE",
        f.find() ? Set.of(f.group(1).trim().split("\\s+")) : Set.of(),
        section(out, "ANSWER"),
        section(out, "AUTHORITY"),
        section(out, "ADDITIONAL"),
        out);
  }

  private static List<String> section(String out, String name) {
    var lines = new ArrayList<String>();
    boolean in = false;
    for (String line : out.split("\n")) {
      if (line.startsWith(";; " + name + " SECTION:")) {
        in = true;
        continue;
      }
      if (in) {
        if (line.isBlank() || line.startsWith(";;")) {
          break;
        }
        if (!line.startsWith(";")) {
          lines.add(line.trim().replaceAll("\\s+", " "));
        }
      }
    }
    return lines;
  }
}
