package io.minilb.resolver.sync;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.minilb.proto.Messages;
import io.minilb.proto.v1.RecordStreamGrpc;
import io.minilb.proto.v1.WatchRequest;
import io.minilb.proto.v1.WatchResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * One {@code WatchResponse} as the resolver receives it. A delta is parsed as usual; a full
 * snapshot is kept as its wire bytes and indexed straight from them ({@code WireSnapshot}), so a
 * full sync never holds the whole snapshot as protobuf objects and as model objects besides: at 50k
 * Services those cost about 60 MiB each, more than the resolver's heap.
 *
 * @param snapshot the response's bytes when it carries a snapshot, else null
 * @param offset where the {@code Snapshot} message starts in {@code snapshot}
 * @param length the {@code Snapshot} message's length
 * @param parsed the parsed response when it carries anything but a snapshot, else null; null for
 *     both when the response was {@linkplain #unread() not read}
 * @param unread why the response was not parsed, else null
 * @param size the response's size on the wire
 * @param readNanos {@link System#nanoTime()} when gRPC handed the response over for reading
 * @param parsedNanos {@link System#nanoTime()} when it was read (and parsed, if not a snapshot)
 */
record Incoming(
    byte[] snapshot,
    int offset,
    int length,
    WatchResponse parsed,
    String unread,
    int size,
    long readNanos,
    long parsedNanos) {

  /** The stream's {@code Watch} method, with responses read as {@link Incoming}. */
  static final MethodDescriptor<WatchRequest, Incoming> WATCH =
      RecordStreamGrpc.getWatchMethod().toBuilder(
              RecordStreamGrpc.getWatchMethod().getRequestMarshaller(), new Marshaller())
          .build();

  private static final int SNAPSHOT_TAG = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  /**
   * Reads one response: a snapshot stays in wire form; anything else is parsed when it is at most
   * {@link Messages#MAX_DELTA_BYTES} and holds {@linkplain KnownFields known fields} only, so that
   * its objects fit in the heap, and is left {@linkplain #unread() unread} otherwise.
   */
  static Incoming of(byte[] bytes) throws IOException {
    return of(bytes, System.nanoTime());
  }

  private static Incoming of(byte[] bytes, long readNanos) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    // A snapshot response holds one field: the snapshot (a writer may split a message field in
    // parts, which protobuf merges; that case, never produced by the controller, is parsed whole).
    if (in.readTag() == SNAPSHOT_TAG) {
      int length = in.readRawVarint32();
      int offset = in.getTotalBytesRead();
      if (length >= 0 && offset + length == bytes.length) {
        return new Incoming(
            bytes, offset, length, null, null, bytes.length, readNanos, System.nanoTime());
      }
    }
    String unread =
        bytes.length > Messages.MAX_DELTA_BYTES
            ? "over the " + Messages.MAX_DELTA_BYTES + " bytes read for anything but a snapshot"
            : !KnownFields.only(bytes) ? "fields this resolver does not know" : null;
    WatchResponse parsed = unread == null ? WatchResponse.parseFrom(bytes) : null;
    return new Incoming(null, 0, 0, parsed, unread, bytes.length, readNanos, System.nanoTime());
  }

  private static final class Marshaller implements MethodDescriptor.Marshaller<Incoming> {
    @Override
    public InputStream stream(Incoming value) {
      throw new UnsupportedOperationException("the resolver only receives responses");
    }

    @Override
    public Incoming parse(InputStream stream) {
      long readNanos = System.nanoTime();
      try {
        byte[] bytes = stream.readNBytes(stream instanceof KnownLength ? stream.available() : 0);
        byte[] rest = stream.readAllBytes(); // empty when the known length was the whole message
        if (rest.length > 0) {
          byte[] all = java.util.Arrays.copyOf(bytes, bytes.length + rest.length);
          System.arraycopy(rest, 0, all, bytes.length, rest.length);
          bytes = all;
        }
        return of(bytes, readNanos);
      } catch (IOException e) {
        throw Status.INTERNAL
            .withDescription("cannot read a response: " + e.getMessage())
            .withCause(e)
            .asRuntimeException();
      }
    }
  }
}
