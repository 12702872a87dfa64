package io.minilb.demo;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CRUD mock's object store (attributes → JSON, in creation order) with an index by object name,
 * so that reading, replacing or creating one named object costs the same at 50k objects as at 10.
 * The mock answers those by scanning every stored object, which made seeding N objects take time in
 * N².
 *
 * <p>Every write of the mock goes through {@link #put} and {@link #remove} (or {@link #clear}), so
 * the index cannot drift from the store. Not thread-safe, like the map it replaces: the mock writes
 * under its own lock and {@link MockApiServer} serialises reads against writes.
 */
final class ObjectStore extends LinkedHashMap<AttributeSet, String> {

  private static final long serialVersionUID = 1L;
  private static final String NAME = "name";

  private final transient Map<String, List<AttributeSet>> byName = new HashMap<>();

  /** Puts an empty indexed store in place of {@code dispatcher}'s own, before it holds anything. */
  static ObjectStore install(CrudDispatcher dispatcher) {
    var store = new ObjectStore();
    try {
      Field map = CrudDispatcher.class.getDeclaredField("map");
      map.setAccessible(true);
      if (!((Map<?, ?>) map.get(dispatcher)).isEmpty()) {
        throw new IllegalStateException("the dispatcher already holds objects");
      }
      map.set(dispatcher, store);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot index the CRUD mock's store", e);
    }
    return store;
  }

  /**
   * The stored object whose attributes match {@code query}, which must name one (first in creation
   * order, as the mock's scan would return); null when there is none.
   */
  Map.Entry<AttributeSet, String> find(AttributeSet query) {
    if (!names(query)) {
      throw new IllegalArgumentException("not a query by name: " + query);
    }
    List<AttributeSet> named = byName.get(name(query));
    if (named == null) {
      return null;
    }
    for (AttributeSet key : named) {
      if (key.matches(query)) {
        return Map.entry(key, get(key));
      }
    }
    return null;
  }

  /**
   * Whether {@code query} asks for one exact name, the only kind of query {@link #find} answers
   * (not a label selector, and not the mock's {@code *} wildcard).
   */
  static boolean names(AttributeSet query) {
    Attribute a = query.getAttribute(NAME);
    return a != null && a.getType() == AttributeType.WITH && !"*".equals(name(query));
  }

  /**
   * Every stored object {@code query} matches, as key → JSON in key order (namespace, then name;
   * the attributes break ties), for {@link ListPage}.
   */
  List<Map.Entry<String, String>> matching(AttributeSet query) {
    var found = new ArrayList<Map.Entry<String, String>>();
    for (var e : entrySet()) {
      if (e.getKey().matches(query)) {
        found.add(Map.entry(sortKey(e.getKey()), e.getValue()));
      }
    }
    found.sort(Map.Entry.comparingByKey());
    return found;
  }

  private static String sortKey(AttributeSet key) {
    Attribute ns = key.getAttribute("namespace");
    // The etcd key's tail: namespace/name, or just the name for a cluster-scoped object.
    return (ns == null ? "" : ns.getValues().get(0).toString() + "/") + name(key);
  }

  @Override
  public String put(AttributeSet key, String json) {
    String old = super.put(key, json);
    if (old == null) {
      byName.computeIfAbsent(String.valueOf(name(key)), n -> new ArrayList<>(1)).add(key);
    }
    return old;
  }

  @Override
  public String remove(Object key) {
    String old = super.remove(key);
    if (old != null) {
      String n = String.valueOf(name((AttributeSet) key));
      List<AttributeSet> named = byName.get(n);
      named.remove(key);
      if (named.isEmpty()) {
        byName.remove(n);
      }
    }
    return old;
  }

  @Override
  public void clear() {
    super.clear();
    byName.clear();
  }

  private static String name(AttributeSet attributes) {
    Attribute a = attributes.getAttribute(NAME);
    if (a == null || a.getValues().size() != 1) {
      return null;
    }
    return a.getValues().get(0).toString();
  }
}
