package io.minilb.controller.stream;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.minilb.proto.v1.WatchResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A {@link WatchResponse} already in its wire form. A full snapshot is encoded once per version and
 * the same bytes go to every resolver: gRPC would otherwise serialize the message object again for
 * each call. Immutable; the bytes are never modified after construction.
 */
final class EncodedResponse {

  private final byte[] bytes;

  private EncodedResponse(byte[] bytes) {
    this.bytes = bytes;
  }

  static EncodedResponse of(WatchResponse response) {
    return new EncodedResponse(response.toByteArray());
  }

  int size() {
    return bytes.length;
  }

  /** Writes the bytes as they are; parsing is never needed on the server side. */
  static final MethodDescriptor.Marshaller<EncodedResponse> MARSHALLER =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(EncodedResponse value) {
          return new Bytes(value.bytes);
        }

        @Override
        public EncodedResponse parse(InputStream stream) {
          try {
            return new EncodedResponse(stream.readAllBytes());
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
      };

  /** A stream over shared bytes that gRPC drains in one write rather than byte by byte. */
  private static final class Bytes extends InputStream implements KnownLength, Drainable {
    private final byte[] bytes;
    private int position;

    Bytes(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = bytes.length - position;
      target.write(bytes, position, n);
      position = bytes.length;
      return n;
    }

    @Override
    public int available() {
      return bytes.length - position;
    }

    @Override
    public int read() {
      return position < bytes.length ? bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= bytes.length) {
        return -1;
      }
      int n = Math.min(len, bytes.length - position);
      System.arraycopy(bytes, position, b, off, n);
      position += n;
      return n;
    }
  }
}
