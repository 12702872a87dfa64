package io.minilb.demo;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs {@code kubectl kustomize} on a folder of {@code deploy/} and parses what it renders. */
final class Rendered {

  static final Path DEPLOY = Path.of("..", "deploy");

  private Rendered() {}

  /** The rendered YAML stream of {@code dir}. */
  static String yaml(Path dir) throws IOException, InterruptedException {
    Assumptions.assumeTrue(onPath("kubectl"), "kubectl is needed to render kustomizations");
    Process p =
        new ProcessBuilder("kubectl", "kustomize", dir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("kubectl kustomize " + dir + " failed:\n" + out);
    }
    return out;
  }

  static List<HasMetadata> objects(KubernetesClient client, Path dir)
      throws IOException, InterruptedException {
    return client
        .load(new ByteArrayInputStream(yaml(dir).getBytes(StandardCharsets.UTF_8)))
        .items();
  }

  static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }
}
