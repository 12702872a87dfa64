package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSeedTest {

  @TempDir Path dir;
  private final KubernetesClient client = new KubernetesClientBuilder().build();

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void parse_readsEveryDocumentOfEveryManifest_andDefaultsTheNamespace() throws Exception {
    Files.writeString(
        dir.resolve("a.yaml"),
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {type: LoadBalancer, loadBalancerClass: minilb}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: node-a}
        """);
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(
        dir.resolve("sub/b.yml"),
        """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w, namespace: other}
        """);
    Files.writeString(dir.resolve("notes.txt"), "not a manifest");

    var objects = ClusterSeed.parse(client, dir);

    assertThat(objects)
        .extracting(
            o ->
                o.getKind()
                    + "/"
                    + o.getMetadata().getNamespace()
                    + "/"
                    + o.getMetadata().getName())
        .containsExactly("Service/default/web", "Node/null/node-a", "Widget/other/w");
  }

  @Test
  void parse_brokenYaml_namesTheFileAndTheReason() throws Exception {
    Files.writeString(
        dir.resolve("good.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n");
    Path bad = dir.resolve("broken.yaml");
    Files.writeString(bad, "apiVersion: v1\nkind: Service\nmetadata: {name: [unclosed\n");

    assertThatThrownBy(() -> ClusterSeed.parse(client, dir))
        .isInstanceOf(ClusterSeed.SeedException.class)
        .hasMessageStartingWith(bad.toString() + ": ")
        .message()
        .hasSizeGreaterThan(bad.toString().length() + 3);
  }

  @Test
  void parse_aDocumentWithoutKind_isRejectedWithTheFileName() throws Exception {
    Path bad = dir.resolve("nokind.yaml");
    Files.writeString(bad, "metadata: {name: x}\n");

    assertThatThrownBy(() -> ClusterSeed.parse(client, dir)).hasMessageContaining("nokind.yaml");
  }

  @Test
  void parse_aMissingFolder_isAClearError() {
    assertThatThrownBy(() -> ClusterSeed.parse(client, dir.resolve("nope")))
        .hasMessageContaining("not a directory");
  }
}
