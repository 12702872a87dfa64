package io.minilb.controller.view;

/** namespace/name of a namespaced object; namespace is empty for cluster-scoped objects. */
public record ObjectKey(String namespace, String name) implements Comparable<ObjectKey> {

  @Override
  public int compareTo(ObjectKey o) {
    int c = namespace.compareTo(o.namespace);
    return c != 0 ? c : name.compareTo(o.name);
  }

  @Override
  public String toString() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
