package io.minilb.resolver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The persistent map against {@link HashMap}, with keys whose hashes often collide. */
class HashTrieTest {

  /**
   * Key {@code id} of 2,048: 64 groups of 32 keys, the keys of a group sharing one {@code
   * hashCode}, so full-hash collisions are common.
   */
  static String key(int id) {
    return "g" + id % 64 + "." + colliding(id / 64, 5);
  }

  /** Name {@code i} of the 2^{@code blocks} names of {@code blocks} "an"/"c0" pairs (one hash). */
  static String colliding(int i, int blocks) {
    var s = new StringBuilder(2 * blocks);
    for (int b = 0; b < blocks; b++) {
      s.append((i >>> b & 1) == 0 ? "an" : "c0");
    }
    return s.toString();
  }

  @Test
  void randomPutsAndRemoves_matchAHashMap_andOldVersionsStayIntact() {
    var random = new Random(42);
    var expected = new HashMap<String, Integer>();
    HashTrie<Integer> trie = HashTrie.empty();
    for (int step = 0; step < 20_000; step++) {
      var key = key(random.nextInt(2_048));
      HashTrie<Integer> before = trie;
      var snapshot = new HashMap<>(expected);
      if (random.nextInt(3) == 0) {
        expected.remove(key);
        trie = trie.remove(key);
      } else {
        expected.put(key, step);
        trie = trie.put(key, step);
      }
      if (step % 1_000 == 0) {
        assertSame(before, snapshot);
        assertSame(HashTrie.of(expected), expected);
      }
    }
    assertSame(trie, expected);
  }

  @Test
  void keysSharingOneHashCode_builtInOnePass_areFoundWithoutAScan() {
    for (int k = 12; k <= 15; k++) {
      var map = new HashMap<String, Integer>();
      for (int i = 0; i < 1 << k; i++) {
        map.put(colliding(i, k) + ".flood.minilb.", i);
      }
      assertThat(map.keySet().stream().mapToInt(String::hashCode).distinct()).hasSize(1);

      HashTrie<Integer> trie = HashTrie.of(map);

      // Every lookup compares a few keys (more than one only where keyed hashes meet by chance),
      // where a linear collision node made it compare up to all 2^k.
      assertThat(trie.longestScan()).as("2^%d keys", k).isLessThanOrEqualTo(3);
      assertSame(trie, map);
    }
  }

  @Test
  void keysSharingOneHashCode_putAndRemovedOneByOne_areFoundWithoutAScan_andOldVersionsStay() {
    var expected = new HashMap<String, Integer>();
    HashTrie<Integer> trie = HashTrie.empty();
    for (int i = 0; i < 1 << 12; i++) {
      String key = colliding(i, 12);
      expected.put(key, i);
      trie = trie.put(key, i);
    }
    HashTrie<Integer> full = trie;
    var fullExpected = new HashMap<>(expected);
    for (int i = 0; i < 1 << 12; i += 2) {
      String key = colliding(i, 12);
      expected.remove(key);
      trie = trie.remove(key);
    }
    for (int i = 1; i < 1 << 12; i += 4) {
      String key = colliding(i, 12);
      expected.put(key, -i);
      trie = trie.put(key, -i);
    }

    assertThat(full.longestScan()).isLessThanOrEqualTo(3);
    assertThat(trie.longestScan()).isLessThanOrEqualTo(3);
    assertSame(trie, expected);
    assertSame(full, fullExpected);
    for (int i = 2; i < 1 << 12; i++) {
      trie = trie.remove(colliding(i, 12));
    }
    // The last key left moves up as any lone key does: the trie is as shallow as a fresh one.
    var nodes = new int[1];
    trie.forEachNode(n -> nodes[0]++);
    assertThat(nodes[0]).isEqualTo(1);
    assertThat(trie.size()).isEqualTo(1);
    assertThat(trie.get(colliding(1, 12))).isEqualTo(-1);
    assertThat(trie.remove(colliding(1, 12)).size()).isZero();
  }

  private static void assertSame(HashTrie<Integer> trie, Map<String, Integer> expected) {
    assertThat(trie.size()).isEqualTo(expected.size());
    var actual = new HashMap<String, Integer>();
    trie.forEach(actual::put);
    assertThat(actual).isEqualTo(expected);
    for (var e : expected.entrySet()) {
      assertThat(trie.get(e.getKey())).isEqualTo(e.getValue());
    }
    for (int id = 0; id < 2_048; id++) {
      assertThat(trie.get(key(id))).isEqualTo(expected.get(key(id)));
    }
  }
}
