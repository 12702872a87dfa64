package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.cli.Commands;
import io.minilb.controller.ControllerMain;
import io.minilb.controller.RoutesMain;
import io.minilb.resolver.ResolverMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The command lines: defaults parse, every flag has its variable, bad values fail in one line. */
class CommandLineTest {

  static Stream<Arguments> commands() {
    return Stream.of(
        Arguments.of(
            "controller", (Supplier<Callable<Integer>>) ControllerMain::new, new String[] {}),
        Arguments.of(
            "resolver",
            (Supplier<Callable<Integer>>) ResolverMain::new,
            new String[] {"--controller", "127.0.0.1:9090"}),
        Arguments.of("routes", (Supplier<Callable<Integer>>) RoutesMain::new, new String[] {}),
        Arguments.of("demo", (Supplier<Callable<Integer>>) DemoMain::new, new String[] {}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void defaults_parse(String name, Supplier<Callable<Integer>> command, String[] required) {
    CommandLine cl = Commands.of(command.get(), Map.of());

    cl.parseArgs(required); // throws on any default that does not convert
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void everyLongOption_canBeSetByItsVariable(
      String name, Supplier<Callable<Integer>> command, String[] required) {
    for (var option : new CommandLine(command.get()).getCommandSpec().options()) {
      String flag = option.longestName();
      if (option.usageHelp() || option.versionHelp()) {
        continue;
      }
      String value = sample(option.type());
      var cl =
          Commands.of(command.get(), Map.of(io.minilb.cli.EnvDefaults.variableFor(flag), value));
      cl.parseArgs(required.length > 0 && flag.equals("--controller") ? new String[] {} : required);
      Object parsed = cl.getCommandSpec().findOption(flag).getValue();
      assertThat(String.valueOf(parsed))
          .as(name + " " + flag)
          .contains(value.replace("1s", "PT1S"));
    }
  }

  @Test
  void aBadValue_exitsNonZero_withOneLineNamingTheFlag() {
    var err = new StringWriter();
    CommandLine cl = Commands.of(new ControllerMain(), Map.of());
    cl.setErr(new PrintWriter(err));

    int code = cl.execute("--ttl", "soon");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip().lines()).singleElement().asString().contains("--ttl");
  }

  @Test
  void notifyWithoutAllowTransfer_exitsWithOneLineNamingBoth() {
    var stderr = captureStderr();
    CommandLine cl = Commands.of(new ResolverMain(), Map.of());

    int code = cl.execute("--controller", "127.0.0.1:9090", "--notify", "192.168.1.1:53");

    assertThat(code).isEqualTo(2);
    assertThat(stderr.get().strip().lines())
        .singleElement()
        .asString()
        .contains("--notify", "--allow-transfer");
  }

  @Test
  void aBadVariable_isReportedLikeABadFlag() {
    var err = new StringWriter();
    CommandLine cl = Commands.of(new ResolverMain(), Map.of("MINILB_LISTEN", "nowhere"));
    cl.setErr(new PrintWriter(err));

    int code = cl.execute("--controller", "127.0.0.1:9090");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--listen");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void version_namesTheBuildAndCommit(
      String name, Supplier<Callable<Integer>> command, String[] required) {
    var out = new StringWriter();
    CommandLine cl = Commands.of(command.get(), Map.of());
    cl.setOut(new PrintWriter(out));

    assertThat(cl.execute("--version")).isZero();
    assertThat(out.toString().strip()).matches("minilb \\S+ \\(commit ([0-9a-f]{7}|unknown)\\)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void help_namesTheVariableOfEachFlag(
      String name, Supplier<Callable<Integer>> command, String[] required) {
    CommandLine cl = Commands.of(command.get(), Map.of());
    String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");

    for (var option : new CommandLine(command.get()).getCommandSpec().options()) {
      if (option.usageHelp() || option.versionHelp()) {
        continue;
      }
      assertThat(help)
          .as(name + " " + option.longestName())
          .containsOnlyOnce(
              "(env: " + io.minilb.cli.EnvDefaults.variableFor(option.longestName()) + ")");
    }
  }

  @Test
  void aMissingKubeconfigFile_isOneLine() {
    var err = new StringWriter();
    CommandLine cl = Commands.of(new ControllerMain(), Map.of());
    cl.setErr(new PrintWriter(err));
    var stderr = captureStderr();

    int code =
        cl.execute("--kubeconfig", "/nonexistent/kubeconfig", "--http-listen", "127.0.0.1:0");

    assertThat(code).isNotZero();
    assertThat(stderr.get().strip().lines())
        .singleElement()
        .asString()
        .isEqualTo("minilb: cannot read --kubeconfig /nonexistent/kubeconfig (no such file)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void anUnreadableTlsFile_isOneLine(
      String name, Supplier<Callable<Integer>> command, String[] required) throws Exception {
    if (!name.equals("controller") && !name.equals("resolver")) {
      return;
    }
    var kubeconfig = java.nio.file.Files.createTempFile("kubeconfig", "");
    var args = new java.util.ArrayList<>(java.util.List.of(required));
    args.addAll(
        java.util.List.of(
            "--tls-cert", "/nonexistent/tls.crt", "--tls-key", "/nonexistent/tls.key"));
    if (name.equals("controller")) {
      args.addAll(java.util.List.of("--kubeconfig", kubeconfig.toString()));
    }
    var stderr = captureStderr();

    int code = Commands.of(command.get(), Map.of()).execute(args.toArray(String[]::new));

    assertThat(code).as(name).isNotZero();
    assertThat(stderr.get().strip().lines())
        .singleElement()
        .asString()
        .isEqualTo("minilb: cannot read TLS file /nonexistent/tls.crt (no such file)");
  }

  static Stream<Arguments> takenPorts() {
    return Stream.of(
        Arguments.of("resolver", "--listen"),
        Arguments.of("resolver", "--http-listen"),
        Arguments.of("controller", "--grpc-listen"),
        Arguments.of("controller", "--http-listen"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("takenPorts")
  void aTakenPort_isOneLine(String command, String flag) throws Exception {
    try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String addr = "127.0.0.1:" + taken.getLocalPort();
      var args = new java.util.LinkedHashMap<String, String>();
      args.put("--log-level", "error");
      args.put("--http-listen", "127.0.0.1:0");
      Callable<Integer> main;
      if (command.equals("resolver")) {
        main = new ResolverMain();
        args.put("--controller", "127.0.0.1:1");
        args.put("--listen", "127.0.0.1:0");
      } else {
        main = new ControllerMain();
        var kubeconfig = java.nio.file.Files.createTempFile("kubeconfig", ".yaml");
        java.nio.file.Files.writeString(
            kubeconfig,
            "apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: 'https://127.0.0.1:1'}\n"
                + "  name: c\ncontexts:\n- context: {cluster: c, user: u}\n  name: x\n"
                + "current-context: x\nusers:\n- name: u\n  user: {token: t}\n");
        args.put("--kubeconfig", kubeconfig.toString());
        args.put("--grpc-listen", "127.0.0.1:0");
      }
      args.put(flag, addr);
      var argv = args.entrySet().stream().flatMap(e -> Stream.of(e.getKey(), e.getValue()));
      var stderr = captureStderr();

      int code = Commands.of(main, Map.of()).execute(argv.toArray(String[]::new));

      assertThat(code).isNotZero();
      assertThat(stderr.get().strip().lines())
          .singleElement()
          .asString()
          .isEqualTo("minilb: cannot listen on " + addr + " (address already in use)");
    }
  }

  /** Redirects System.err until the returned supplier is read. */
  private static Supplier<String> captureStderr() {
    var original = System.err;
    var buffer = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(buffer, true));
    return () -> {
      System.setErr(original);
      return buffer.toString();
    };
  }

  private static String sample(Class<?> type) {
    if (type.isEnum()) {
      return type.getEnumConstants()[type.getEnumConstants().length - 1].toString();
    }
    if (type == int.class || type == Integer.class) {
      return "7";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true";
    }
    if (type == java.time.Duration.class) {
      return "1s";
    }
    if (type == java.net.InetSocketAddress.class) {
      return "127.0.0.1:1234";
    }
    if (type == java.nio.file.Path.class) {
      return "some-file";
    }
    if (type == java.util.List.class) {
      return "10.0.0.1";
    }
    return "x-value";
  }
}
