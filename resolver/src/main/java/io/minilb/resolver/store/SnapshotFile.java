package io.minilb.resolver.store;

import com.google.protobuf.InvalidProtocolBufferException;
import io.minilb.proto.Messages;
import io.minilb.snapshot.Snapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last snapshot on disk, so a restarted resolver can answer at once even when no controller is
 * reachable. Written atomically (temporary file, fsync, rename) after every update, in the {@code
 * minilb.v1.Snapshot} protobuf encoding. The file's modification time is when its data was last
 * known current; {@link #touch()} moves it forward at a clean shutdown.
 */
public final class SnapshotFile {

  private static final Logger log = LoggerFactory.getLogger(SnapshotFile.class);

  /** A loaded snapshot and the time its data was last known current. */
  public record Loaded(Snapshot snapshot, long currentAtMillis) {}

  private final Path path;

  public SnapshotFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /** The stored snapshot; empty when the file is missing, unreadable or corrupt (reported). */
  public Optional<Loaded> load() {
    if (!Files.exists(path)) {
      return Optional.empty();
    }
    try {
      byte[] bytes = Files.readAllBytes(path);
      Snapshot s = Messages.fromProto(io.minilb.proto.v1.Snapshot.parseFrom(bytes));
      ZoneIndex.of(s); // reject a file whose content could not be served
      return Optional.of(new Loaded(s, Files.getLastModifiedTime(path).toMillis()));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      log.error("ignoring corrupt snapshot file {}: {}", path, e.getMessage());
    } catch (IOException e) {
      log.error("cannot read snapshot file {}: {}", path, e.getMessage());
    }
    return Optional.empty();
  }

  /** Replaces the file with {@code snapshot}; a failure is logged, never thrown. */
  public void write(Snapshot snapshot) {
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try {
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      try (var channel =
              java.nio.channels.FileChannel.open(
                  tmp,
                  java.nio.file.StandardOpenOption.CREATE,
                  java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                  java.nio.file.StandardOpenOption.WRITE);
          OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
        Messages.toProto(snapshot).writeTo(out);
        out.flush();
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
