package io.minilb.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the Maven version and the git commit this build came from, read from {@code
 * version.properties}, which the build fills in. A build without {@code .git} (a Docker context)
 * reports the commit as {@code unknown}.
 */
public final class Version implements IVersionProvider {

  private static final String RESOURCE = "version.properties";

  /** One line, e.g. {@code minilb 0.1.0 (commit abc1234)}. */
  public static String line() {
    var p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "minilb " + filled(p, "version") + " (commit " + filled(p, "commit") + ")";
  }

  /** A property, or {@code unknown} when absent or left unfilled by the build. */
  static String filled(Properties p, String key) {
    String v = p.getProperty(key, "").trim();
    return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {line()};
  }
}
