package io.minilb.demo;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads every YAML or JSON document under a folder into a cluster. Parsing happens for all files
 * before anything is created, so a broken file stops the demo cleanly, naming the file.
 */
final class ClusterSeed {

  /** A file that could not be read or parsed. */
  static final class SeedException extends Exception {
    SeedException(String message) {
      super(message);
    }
  }

  private static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "Node",
          "Namespace",
          "IngressClass",
          "GatewayClass",
          "CustomResourceDefinition",
          "ClusterRole",
          "ClusterRoleBinding",
          "PersistentVolume",
          "StorageClass",
          "PriorityClass");

  private ClusterSeed() {}

  /**
   * Parses every {@code *.yaml}, {@code *.yml} and {@code *.json} file under {@code dir}, sorted by
   * path.
   */
  static List<HasMetadata> parse(KubernetesClient client, Path dir) throws SeedException {
    if (!Files.isDirectory(dir)) {
      throw new SeedException(dir + ": not a directory");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).filter(ClusterSeed::isManifest).sorted().toList();
    } catch (IOException e) {
      throw new SeedException(dir + ": " + e.getMessage());
    }
    var objects = new ArrayList<HasMetadata>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        for (HasMetadata o : client.load(in).items()) {
          if (o == null) {
            continue;
          }
          if (o.getMetadata() == null || o.getMetadata().getName() == null || o.getKind() == null) {
            throw new SeedException(file + ": a document has no kind or metadata.name");
          }
          if (o.getMetadata().getNamespace() == null && !CLUSTER_SCOPED.contains(o.getKind())) {
            o.getMetadata().setNamespace("default");
          }
          objects.add(o);
        }
      } catch (IOException | RuntimeException e) {
        throw new SeedException(file + ": " + rootMessage(e));
      }
    }
    return objects;
  }

  /**
   * Creates {@code objects} in order; status, when present, is written through the status
   * subresource.
   */
  static void create(KubernetesClient client, List<HasMetadata> objects) {
    for (HasMetadata o : objects) {
      createWithStatus(client, o);
    }
  }

  /**
   * Creates {@code o}, then writes its status, if it has one, through the status subresource: the
   * API server drops status on create for every kind that declares the subresource.
   */
  static <T extends HasMetadata> T createWithStatus(KubernetesClient client, T o) {
    T created = client.resource(o).create();
    Object status =
        client.getKubernetesSerialization().convertValue(o, java.util.Map.class).get("status");
    if (status == null) {
      return created;
    }
    o.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
    return client.resource(o).updateStatus();
  }

  private static boolean isManifest(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.toString() : t.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
