package io.minilb.resolver.dns;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * One thread's working memory for the fast path: the query copied in from the transport's buffer,
 * the response built, and the name key. Reused for every query, so the fast path allocates nothing
 * for the message bytes. Confined to one thread (an event loop); never shared.
 */
final class QueryScratch {

  // An indexed slot on Netty's event loop threads (a map lookup on other threads, e.g. in tests).
  private static final FastThreadLocal<QueryScratch> PER_THREAD =
      new FastThreadLocal<>() {
        @Override
        protected QueryScratch initialValue() {
          return new QueryScratch();
        }
      };

  /**
   * This thread's scratch. Whoever loads a query into it must take the response out before anything
   * else on the thread can answer a query (every caller copies it out before writing it).
   */
  static QueryScratch forThisThread() {
    return PER_THREAD.get();
  }

  /**
   * Longer queries are copied into their own array and take the {@link Responder}'s byte[] API.
   * Queries the fast path takes are a few dozen octets; 2 KiB holds any with a question and an OPT
   * of ordinary options.
   */
  static final int QUERY_CAPACITY = 2048;

  /**
   * The largest response built here: more than any UDP answer (at most {@link
   * Answerer#MAX_UDP_PAYLOAD}); a larger one, over TCP, is the general path's. Every event loop
   * thread holds one scratch, so this bounds what the threads hold, not what a client can ask for.
   */
  static final int RESPONSE_CAPACITY = 1536;

  /** A name is at most 255 octets on the wire, so at most 254 characters in presentation form. */
  static final int NAME_CAPACITY = 255;

  /** Each label takes at least two of those characters (itself and its dot). */
  static final int MAX_LABELS = 128;

  final byte[] query = new byte[QUERY_CAPACITY];
  int queryLength;

  /**
   * The response, valid after {@link Responder#respond(QueryScratch, boolean, java.net.InetAddress,
   * java.util.function.Consumer)} returned {@link Reply#BUILT}.
   */
  final byte[] response = new byte[RESPONSE_CAPACITY];

  int responseLength;
  Reply.Cookie cookie = Reply.Cookie.NONE;

  /** The query's QTYPE and the response's RCODE, when the fast path answered it. */
  int qtype;

  int rcode;

  /** The lower-case presentation form of the question name, built by the fast path. */
  final byte[] name = new byte[NAME_CAPACITY];

  /** The wildcard that could cover the question name ({@code *.<parent>}), when it is absent. */
  final byte[] wildcard = new byte[NAME_CAPACITY];

  /** Where each label of {@link #name} starts, and the hash of the suffix from there. */
  final int[] labelStarts = new int[MAX_LABELS];

  final int[] suffixHashes = new int[MAX_LABELS];

  /** The lookup keys of the names this thread answered lately. */
  final NameKeys keys = new NameKeys();

  /**
   * The keys of the suffixes probed for a zone apex and of the wildcards checked ({@code
   * *.<parent>}), apart from {@link #keys}: a flood of random names, each probing its own, never
   * evicts the keys of the names asked for.
   */
  final NameKeys zoneKeys = new NameKeys(64);

  /**
   * Copies the readable bytes of {@code in} (without moving its reader index); false if too long.
   */
  boolean load(ByteBuf in) {
    int n = in.readableBytes();
    if (n > QUERY_CAPACITY) {
      return false;
    }
    in.getBytes(in.readerIndex(), query, 0, n);
    queryLength = n;
    return true;
  }

  /** Copies {@code wire} in; false if too long. */
  boolean load(byte[] wire) {
    if (wire.length > QUERY_CAPACITY) {
      return false;
    }
    System.arraycopy(wire, 0, query, 0, wire.length);
    queryLength = wire.length;
    return true;
  }

  /** The query as its own array (for the general path, which keeps it beyond this call). */
  byte[] queryCopy() {
    return java.util.Arrays.copyOf(query, queryLength);
  }
}
