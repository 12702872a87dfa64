package io.minilb.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tested recipes of docs/ROUTER.md: each is the fenced block right after a {@code <!-- recipe:
 * NAME ... -->} line, so the tests run the text operators copy.
 */
final class RouterDoc {

  static final Path DOC = ShippedDemo.HOME.resolve("docs").resolve("ROUTER.md");

  /** A node resolver's address and port as the recipes write them: dnsmasq {@code #}, Unbound @. */
  private static final Pattern RESOLVER = Pattern.compile("192\\.168\\.1\\.3[0-2]([#@])53\\b");

  private RouterDoc() {}

  /** The block's text, without its fences. */
  static String recipe(String name) throws IOException {
    String doc = Files.readString(DOC);
    Matcher m =
        Pattern.compile(
                "<!-- recipe: " + Pattern.quote(name) + "[ \\-(][^\\n]*\\n```[a-z]*\\n(.*?)```",
                Pattern.DOTALL)
            .matcher(doc);
    if (!m.find()) {
      throw new IllegalStateException("no recipe '" + name + "' in " + DOC);
    }
    return m.group(1);
  }

  /** The recipe pointed at a resolver on {@code 127.0.0.1:port} instead of the nodes' port 53. */
  static String atLocalResolver(String name, int port) throws IOException {
    String text = recipe(name);
    Matcher m = RESOLVER.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException(
          "recipe '" + name + "' names no resolver as 192.168.1.30#53 or 192.168.1.30@53");
    }
    return m.replaceAll("127.0.0.1$1" + port);
  }
}
