package io.minilb.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.controller.records.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ControllerMainTest {

  @TempDir Path home;

  @Test
  void limitFlags_areParsedIntoTheConfig_withTheirDocumentedDefaults() {
    var defaults = new ControllerMain();
    new CommandLine(defaults).parseArgs();
    var set = new ControllerMain();
    new CommandLine(set)
        .parseArgs(
            "--max-hosts-per-object",
            "3",
            "--max-endpoints-per-service",
            "4",
            "--max-records",
            "5",
            "--max-records-per-object",
            "6",
            "--max-names",
            "7",
            "--max-snapshot-bytes",
            "65536");

    assertThat(defaults.config().limits()).isEqualTo(Limits.DEFAULTS);
    assertThat(defaults.config().limits().snapshotBytes()).isEqualTo(24 << 20);
    assertThat(set.config().limits()).isEqualTo(new Limits(3, 4, 5, 6, 7, 65536));
  }

  @Test
  void maxSnapshotBytes_comesFromItsVariable_andIsRejectedOutsideWhatTheControllerCanSend() {
    var fromEnv = new ControllerMain();
    io.minilb.cli.Commands.of(fromEnv, Map.of("MINILB_MAX_SNAPSHOT_BYTES", "1048576")).parseArgs();
    var atMost = new ControllerMain();
    io.minilb.cli.Commands.of(atMost, Map.of()).parseArgs("--max-snapshot-bytes", "" + (28 << 20));
    var over = new ControllerMain();
    io.minilb.cli.Commands.of(over, Map.of())
        .parseArgs("--max-snapshot-bytes", "" + ((28 << 20) + 1));
    var zero = new ControllerMain();
    io.minilb.cli.Commands.of(zero, Map.of()).parseArgs("--max-snapshot-bytes", "0");

    assertThat(fromEnv.config().limits().snapshotBytes()).isEqualTo(1 << 20);
    assertThat(atMost.config().limits().snapshotBytes()).isEqualTo(28 << 20);
    org.assertj.core.api.Assertions.assertThatThrownBy(over::config)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--max-snapshot-bytes must be at most 29360128");
    org.assertj.core.api.Assertions.assertThatThrownBy(zero::config)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--max-snapshot-bytes must be at least 65536");
  }

  @Test
  void maxSnapshotBytes_thatIsNoNumber_endsTheStartWithOneLine() {
    var err = new java.io.StringWriter();
    var cl = io.minilb.cli.Commands.of(new ControllerMain(), Map.of());
    cl.setErr(new java.io.PrintWriter(err));

    assertThat(cl.execute("--max-snapshot-bytes", "24MiB")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("minilb: Invalid value for option '--max-snapshot-bytes': '24MiB'");
  }

  @Test
  void kubeconfigProblem_whenNothingConfiguresAClient_saysWhereItLooked() {
    assertThat(ControllerMain.kubeconfigProblem(null, Map.of(), home))
        .isEqualTo(
            "no kubeconfig found (--kubeconfig, $KUBECONFIG, ~/.kube/config) and not running in a"
                + " cluster");
  }

  @Test
  void kubeconfigProblem_whenAnySourceExists_isNone() throws Exception {
    assertThat(ControllerMain.kubeconfigProblem(null, Map.of("KUBECONFIG", "/x"), home)).isNull();
    assertThat(
            ControllerMain.kubeconfigProblem(
                null, Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"), home))
        .isNull();
    Files.createDirectories(home.resolve(".kube"));
    Files.writeString(home.resolve(".kube/config"), "");
    assertThat(ControllerMain.kubeconfigProblem(null, Map.of(), home)).isNull();
  }

  @Test
  void kubeconfigProblem_whenTheFlagNamesAMissingFile_saysSo() {
    assertThat(ControllerMain.kubeconfigProblem(home.resolve("nope"), Map.of(), home))
        .isEqualTo("cannot read --kubeconfig " + home.resolve("nope") + " (no such file)");
  }

  @Test
  void streamCaps_comeFromTheirFlags_andDefaultForABigDaemonSet() {
    var main = new ControllerMain();
    io.minilb.cli.Commands.of(main, Map.of())
        .parseArgs("--max-subscribers", "3", "--max-streams-per-connection", "1");
    var defaults = new ControllerMain();
    io.minilb.cli.Commands.of(defaults, Map.of()).parseArgs();

    assertThat(main.config().streamLimits().maxSubscribers()).isEqualTo(3);
    assertThat(main.config().streamLimits().maxStreamsPerConnection()).isEqualTo(1);
    assertThat(defaults.config().streamLimits().maxSubscribers()).isEqualTo(1024);
    assertThat(defaults.config().streamLimits().maxStreamsPerConnection()).isEqualTo(2);
  }

  @Test
  void aStreamCapBelowOne_isRejectedNamingTheFlag() {
    var main = new ControllerMain();
    io.minilb.cli.Commands.of(main, Map.of()).parseArgs("--max-subscribers", "0");

    org.assertj.core.api.Assertions.assertThatThrownBy(main::config)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--max-subscribers");
  }
}
