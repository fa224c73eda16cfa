package dev.odeflow.driver.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes files and directories so that readers see either the old content or the complete new one: everything is
 * written under a temporary name in the same directory and then renamed into place.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Fills a fresh directory. */
    @FunctionalInterface
    public interface DirectoryWriter {
        void writeInto(Path dir) throws IOException;
    }

    /** Writes {@code data} to {@code target} through a temporary file and an atomic rename. */
    public static void writeFile(Path target, byte[] data) throws IOException {
        Path parent = parentOf(target);
        Path tmp = createTemp(parent, target, false);
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC)) {
                out.write(data);
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Builds a directory under a temporary name next to {@code target}, then renames it to {@code target}. An
     * existing directory at {@code target} is replaced only after the new one is complete.
     */
    public static void writeDirectory(Path target, DirectoryWriter writer) throws IOException {
        Path parent = parentOf(target);
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a directory");
        }
        Path tmp = createTemp(parent, target, true);
        try {
            writer.writeInto(tmp);
            if (Files.isDirectory(target)) {
                Path old = createTemp(parent, target, true);
                Files.delete(old);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                    throw e;
                }
                deleteRecursively(old);
            } else {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            deleteRecursively(tmp);
        }
    }

    /** Deletes a file or a directory tree if it exists. */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    /**
     * Creates {@code target}'s parent directory if needed and checks that it is writable, so that a job can fail
     * before its work rather than after. Returns the parent.
     */
    public static Path prepareParent(Path target) throws IOException {
        return parentOf(target);
    }

    private static Path parentOf(Path target) throws IOException {
        Path parent = target.toAbsolutePath().normalize().getParent();
        if (parent == null) {
            throw new IOException("cannot write " + target + ": it has no parent directory");
        }
        try {
            Files.createDirectories(parent);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot write " + target + ": " + e.getFile() + " exists and is not a directory", e);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot write " + target + ": permission denied creating " + e.getFile(), e);
        }
        if (!Files.isWritable(parent)) {
            throw new IOException("cannot write " + target + ": directory " + parent + " is not writable");
        }
        return parent;
    }

    private static Path createTemp(Path parent, Path target, boolean directory) throws IOException {
        String prefix = "." + target.getFileName() + ".tmp-";
        Path tmp;
        try {
            tmp = directory ? Files.createTempDirectory(parent, prefix) : Files.createTempFile(parent, prefix, "");
        } catch (AccessDeniedException e) {
            throw new IOException("cannot write " + target + ": permission denied in " + parent, e);
        }
        // temp files are created private (0600/0700); the result should be readable like any other output
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(directory ? "rwxr-xr-x" : "rw-r--r--"));
        }
        return tmp;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            throw new IOException("cannot replace " + to + ": " + e.getMessage(), e);
        }
    }
}
