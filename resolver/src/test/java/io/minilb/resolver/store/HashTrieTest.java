package io.minilb.resolver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The persistent map against {@link HashMap}, with keys whose hashes often collide. */
class HashTrieTest {

  /** A key with only 64 distinct hash codes, so full-hash collisions are common. */
  record Key(int id) {
    @Override
    public int hashCode() {
      return id % 64 * 0x01010101;
    }
  }

  @Test
  void randomPutsAndRemoves_matchAHashMap_andOldVersionsStayIntact() {
    var random = new Random(42);
    var expected = new HashMap<Key, Integer>();
    HashTrie<Key, Integer> trie = HashTrie.empty();
    for (int step = 0; step < 20_000; step++) {
      var key = new Key(random.nextInt(2_000));
      HashTrie<Key, Integer> before = trie;
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

  private static void assertSame(HashTrie<Key, Integer> trie, Map<Key, Integer> expected) {
    assertThat(trie.size()).isEqualTo(expected.size());
    var actual = new HashMap<Key, Integer>();
    trie.forEach(actual::put);
    assertThat(actual).isEqualTo(expected);
    for (int id = 0; id < 2_000; id++) {
      assertThat(trie.get(new Key(id))).isEqualTo(expected.get(new Key(id)));
    }
  }
}
