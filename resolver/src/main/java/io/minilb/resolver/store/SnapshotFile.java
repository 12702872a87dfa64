package io.minilb.resolver.store;

import com.google.protobuf.CodedOutputStream;
import io.minilb.proto.Messages;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last snapshot on disk, so a restarted resolver can answer at once even when no controller is
 * reachable. Written atomically (temporary file, fsync, rename). The file's modification time is
 * when its data was last known current; {@link #touch()} moves it forward at a clean shutdown.
 *
 * <p>Format: a 20-byte header — magic {@code MLBS}, format version (u16, 1), reserved (u16, 0),
 * payload length (u64), CRC32C of the payload (u32), all big-endian — then the payload, a {@code
 * minilb.v1.Snapshot} protobuf. A torn, truncated or edited file fails the length or checksum check
 * before anything is parsed; a file that passes is still validated record by record. Whatever is
 * wrong, {@link #load()} logs one WARN and returns empty, and the resolver starts without data.
 */
public final class SnapshotFile {

  private static final Logger log = LoggerFactory.getLogger(SnapshotFile.class);
  static final int MAGIC = 0x4D4C4253; // "MLBS"
  static final int FORMAT = 1;
  static final int HEADER = 20;

  /** A loaded index and the time its data was last known current. */
  public record Loaded(ZoneIndex index, long currentAtMillis) {}

  private final Path path;

  public SnapshotFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /** The stored data; empty when the file is missing, or (logged once) unreadable or invalid. */
  public Optional<Loaded> load() {
    if (!Files.exists(path)) {
      return Optional.empty();
    }
    try {
      long modified = Files.getLastModifiedTime(path).toMillis();
      byte[] bytes = Files.readAllBytes(path);
      return Optional.of(new Loaded(index(bytes), modified));
    } catch (IOException | RuntimeException e) {
      log.warn(
          "ignoring snapshot file {}: {}; starting without data (SERVFAIL until synced)",
          path,
          e.getMessage() == null ? e.toString() : e.getMessage());
      return Optional.empty();
    }
  }

  /** The index of a whole file's bytes; any defect throws with the reason. */
  static ZoneIndex index(byte[] bytes) throws IOException {
    if (bytes.length < HEADER) {
      throw new IOException("truncated: " + bytes.length + " bytes, shorter than the header");
    }
    var header = ByteBuffer.wrap(bytes, 0, HEADER);
    if (header.getInt() != MAGIC) {
      throw new IOException("no minilb snapshot header (not a snapshot file, or an older format)");
    }
    int format = header.getShort() & 0xFFFF;
    if (format != FORMAT) {
      throw new IOException("format version " + format + " is not supported");
    }
    header.getShort();
    long length = header.getLong();
    int crc = header.getInt();
    if (length != bytes.length - HEADER) {
      throw new IOException(
          "truncated or extended: header says "
              + length
              + " payload bytes, file holds "
              + (bytes.length - HEADER));
    }
    var check = new CRC32C();
    check.update(bytes, HEADER, bytes.length - HEADER);
    if ((int) check.getValue() != crc) {
      throw new IOException("checksum mismatch (torn or edited file)");
    }
    try {
      return WireSnapshot.index(bytes, HEADER, bytes.length - HEADER);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Replaces the file with {@code snapshot}; a failure is logged, never thrown. */
  public void write(Snapshot snapshot) {
    write(snapshot.version(), snapshot.zones(), snapshot.rrsets().values()::forEach);
  }

  /**
   * Replaces the file with the content of {@code index}, streamed RRset by RRset; a failure is
   * logged, never thrown.
   */
  public void write(ZoneIndex index) {
    write(index.version(), index.zones(), index::forEachRRSet);
  }

  private void write(Version version, List<String> zones, Consumer<Consumer<RRSet>> rrsets) {
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try {
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      try (var channel =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.allocate(HEADER)); // the header goes in last, once known
        var crc = new CRC32C();
        var payload =
            new CheckedOutputStream(
                new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16), crc);
        CodedOutputStream out = CodedOutputStream.newInstance(payload);
        out.writeMessage(1, Messages.toProto(version));
        for (String z : zones) {
          out.writeString(2, z);
        }
        try {
          rrsets.accept(
              s -> {
                try {
                  out.writeMessage(3, Messages.toProto(s));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
        out.flush();
        payload.flush();
        long length = channel.position() - HEADER;
        var header =
            ByteBuffer.allocate(HEADER)
                .putInt(MAGIC)
                .putShort((short) FORMAT)
                .putShort((short) 0)
                .putLong(length)
                .putInt((int) crc.getValue())
                .flip();
        channel.write(header, 0);
        channel.force(true);
      }
      try {
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      log.warn("cannot write snapshot file {}: {}", path, e.getMessage());
    }
  }

  /** Marks the stored data as current now (at a clean shutdown while synced). */
  public void touch() {
    try {
      if (Files.exists(path)) {
        Files.setLastModifiedTime(path, FileTime.fromMillis(System.currentTimeMillis()));
      }
    } catch (IOException e) {
      log.warn("cannot touch snapshot file {}: {}", path, e.getMessage());
    }
  }
}
