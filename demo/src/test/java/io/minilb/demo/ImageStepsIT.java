package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Dockerfiles and bench/runtime-image.sh stay in step: the image runs the shared deploy/image
 * steps with the same role and heap, its JVM flags are exactly deploy/image/java-opts, and the
 * script takes its steps and command from the Dockerfile rather than repeating them. The
 * off-cluster unit runs with the same flags and the resolver image's heap.
 */
class ImageStepsIT {

  private static final Path ROOT = Path.of("..");

  @ParameterizedTest
  @ValueSource(strings = {"controller", "resolver"})
  void dockerfile_runsTheSharedSteps_withTheFlagsOfJavaOpts(String role) throws Exception {
    String docker = Files.readString(ROOT.resolve("Dockerfile." + role));
    List<String> opts = javaOpts();

    assertThat(docker).contains("RUN /app/jlink.sh " + role + " /app/jre\n");
    var cds = Pattern.compile("RUN /app/cds.sh " + role + " /app (\\d+m)\n").matcher(docker);
    assertThat(cds.find()).as("cds.sh step").isTrue();
    var entry =
        Pattern.compile(
                "ENTRYPOINT \\[\"/app/jre/bin/java\", \"-Xmx(\\d+m)\", (?:\"-XX:\\w+=\\w+\", )*"
                    + "\"-XX:SharedArchiveFile=/app/"
                    + role
                    + ".jsa\", \"-jar\", \"/app/"
                    + role
                    + "/minilb-"
                    + role
                    + ".jar\"\\]")
            .matcher(docker);
    assertThat(entry.find()).as("entrypoint").isTrue();
    assertThat(entry.group(1)).as("same heap when archiving and running").isEqualTo(cds.group(1));
    assertThat(docker).contains("ENV JDK_JAVA_OPTIONS=\"" + String.join(" ", opts) + "\"\n");
    assertThat(docker)
        .contains("USER 65532:65532")
        .contains(
            "COPY deploy/image/jlink.sh deploy/image/cds.sh " + "deploy/image/java-opts /app/");
    assertThat(ROOT.resolve(role + "/target/minilb-" + role + ".jar"))
        .as("built by the package phase")
        .exists();
  }

  @Test
  void controllerImage_runsWithTheHeapFlagsOfTheLauncher() throws Exception {
    var launcher =
        Pattern.compile(
                "exec java \"\\$\\{jvm_flags\\[@\\]\\}\" ([^\"]+) -jar \"\\$controller_jar\"")
            .matcher(Files.readString(ROOT.resolve("minilb")));
    var image =
        Pattern.compile("ENTRYPOINT \\[\"/app/jre/bin/java\", (.+), \"-XX:SharedArchiveFile=")
            .matcher(Files.readString(ROOT.resolve("Dockerfile.controller")));
    assertThat(launcher.find()).as("./minilb controller").isTrue();
    assertThat(image.find()).as("controller entrypoint").isTrue();

    assertThat(image.group(1).replace("\"", "").replace(", ", " "))
        .isEqualTo(launcher.group(1))
        .contains("-XX:MaxNewSize=");
  }

  @Test
  void offClusterUnit_runsWithTheFlagsOfJavaOpts_andTheResolverImagesHeap() throws Exception {
    List<String> env =
        Files.readAllLines(ROOT.resolve("deploy/off-cluster/minilb-resolver.env")).stream()
            .filter(l -> l.startsWith("JAVA_OPTS="))
            .toList();
    // The heap flags of the image's entrypoint: -Xmx and any -XX:Max...= after it.
    var heap =
        Pattern.compile("\"(-Xmx\\d+m)\", ((?:\"-XX:Max\\w+=\\w+\", )*)")
            .matcher(Files.readString(ROOT.resolve("Dockerfile.resolver")));
    assertThat(heap.find()).as("resolver image heap").isTrue();
    String heapFlags = heap.group(1) + " " + heap.group(2).replaceAll("\"(-XX:[^\"]+)\", ", "$1 ");

    assertThat(env)
        .containsExactly("JAVA_OPTS=" + String.join(" ", javaOpts()) + " " + heapFlags.trim());
  }

  private static List<String> javaOpts() throws java.io.IOException {
    return Files.readAllLines(ROOT.resolve("deploy/image/java-opts")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"controller", "resolver"})
  void theBenchScript_readsItsStepsFromTheDockerfile(String role) throws Exception {
    String script = Files.readString(ROOT.resolve("bench/runtime-image.sh"));

    assertThat(script)
        .contains(
            "run_line \"$role\" jlink.sh",
            "run_line \"$role\" cds.sh",
            "entrypoint resolver",
            "java_opts resolver",
            "\"Dockerfile.$1\"");
    assertThat(script).doesNotContain("-Xmx", "-XX:+UseSerialGC");
  }
}
