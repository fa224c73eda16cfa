package dev.odeflow.driver.output;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The one store for every output: a directory on any Hadoop file system ({@code file:}, {@code hdfs:}, and
 * whatever the cluster's Hadoop configuration provides, e.g. {@code s3a:}), written so that a reader sees the old
 * content or the complete new one, never half of it.
 *
 * <p>Files are written under a fresh temporary name in the same directory ({@code .<name>.tmp-<uuid>}, created
 * exclusively) and then renamed over the target: POSIX rename(2) on local disks, HDFS's rename with OVERWRITE on
 * HDFS. On object stores, where a rename is a copy but an object appears only once its upload completes, files
 * are written directly. A directory is built under a temporary name and swapped in with two renames (the old one
 * aside, the new one in); during that instant the name is absent, never half-written. Local paths are handled by
 * Hadoop's raw local file system, so no {@code .crc} files appear. Immutable and thread-safe.
 */
public final class OutputStore {

    /** Object stores: a file appears whole when its upload completes, and rename is a copy. */
    private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb", "oss");

    /** Writes the bytes of one file. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Fills a fresh directory, given as a store of its own. */
    @FunctionalInterface
    public interface DirectoryWriter {
        void writeInto(OutputStore dir) throws IOException;
    }

    private final FileSystem fs;
    private final Path root;
    private final Configuration conf;

    private OutputStore(FileSystem fs, Path root, Configuration conf) {
        this.fs = fs;
        this.root = root;
        this.conf = conf;
    }

    /** The store of a local directory. */
    public static OutputStore local(java.nio.file.Path dir) throws IOException {
        return at(dir.toAbsolutePath().normalize().toString(), LocalConf.CONF);
    }

    /** The store of the directory that holds {@code file}, a local path. */
    public static OutputStore parentOf(java.nio.file.Path file) throws IOException {
        java.nio.file.Path parent = file.toAbsolutePath().normalize().getParent();
        if (parent == null) {
            throw new IOException("cannot write " + file + ": it has no parent directory");
        }
        return local(parent);
    }

    /** A Hadoop configuration for local stores, made once. */
    private static final class LocalConf {
        static final Configuration CONF = new Configuration();
    }

    /** The store at {@code dir}: a local path, or a URI of any Hadoop file system. */
    public static OutputStore at(String dir, Configuration conf) throws IOException {
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("an output location is empty");
        }
        URI uri = toUri(dir);
        FileSystem fs;
        if (uri.getScheme().equals("file")) {
            if (uri.getPath() == null) {
                throw new IllegalArgumentException("not a file URI with a path: " + dir);
            }
            RawLocalFileSystem local = new RawLocalFileSystem();
            local.initialize(URI.create("file:///"), conf);
            fs = local;
            uri = java.nio.file.Path.of(uri.getPath()).toAbsolutePath().normalize().toUri();
        } else {
            fs = FileSystem.get(uri, conf);
        }
        return new OutputStore(fs, fs.makeQualified(new Path(uri)), conf);
    }

    /** A store on a given file system (tests use Hadoop's checksummed local file system for the generic path). */
    static OutputStore on(FileSystem fs, Path dir, Configuration conf) {
        return new OutputStore(fs, fs.makeQualified(dir), conf);
    }

    private static URI toUri(String dir) {
        if (dir.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !dir.matches("^[a-zA-Z]:\\\\.*")) {
            return URI.create(dir);
        }
        return java.nio.file.Path.of(dir).toAbsolutePath().normalize().toUri();
    }

    /** The store's directory as a URI string. */
    public String uri() {
        return root.toString();
    }

    /** The Hadoop path of an entry, for messages and for Hadoop-aware readers. */
    public Path path(String name) {
        return new Path(root, checkedName(name));
    }

    /** A store for a subdirectory (not created until something is written). */
    public OutputStore child(String name) {
        return new OutputStore(fs, path(name), conf);
    }

    /** The local path of the store, when it is on the local file system. */
    public java.util.Optional<java.nio.file.Path> localPath() {
        return fs instanceof RawLocalFileSystem ? java.util.Optional.of(java.nio.file.Path.of(root.toUri()))
                : java.util.Optional.empty();
    }

    /** Creates the directory (and its parents) and checks that a file can be created in it. */
    public void checkWritable() throws IOException {
        try {
            fs.mkdirs(root);
            if (!fs.getFileStatus(root).isDirectory()) {
                throw new IOException(root + " exists and is not a directory");
            }
            Path probe = new Path(root, ".odeflow-write-check-" + UUID.randomUUID());
            fs.create(probe, false).close();
            fs.delete(probe, false);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot write to " + root + ": " + describe(e), e);
        }
    }

    public boolean exists(String name) throws IOException {
        return fs.exists(path(name));
    }

    /** Writes {@code data} to {@code name} atomically. */
    public void writeFile(String name, byte[] data) throws IOException {
        writeFile(name, out -> out.write(data));
    }

    /** Writes the file {@code name} atomically from a stream writer. */
    public void writeFile(String name, StreamWriter writer) throws IOException {
        Path target = path(name);
        try {
            fs.mkdirs(root);
            if (isObjectStore()) {
                try (OutputStream out = fs.create(target, true)) {
                    writer.write(out);
                }
                return;
            }
            Path tmp = temp(name);
            try {
                try (OutputStream out = fs.create(tmp, false)) {
                    writer.write(out);
                }
                replace(tmp, target);
            } finally {
                deleteQuietly(tmp);
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + describe(e), e);
        }
    }

    /**
     * Builds the directory {@code name} under a temporary name, then swaps it in: an existing directory is replaced
     * only after the new one is complete.
     */
    public void writeDirectory(String name, DirectoryWriter writer) throws IOException {
        Path target = path(name);
        Path tmp = temp(name);
        try {
            fs.mkdirs(root);
            if (fs.exists(target) && !fs.getFileStatus(target).isDirectory()) {
                throw new IOException("it exists and is not a directory");
            }
            if (!fs.mkdirs(tmp)) {
                throw new IOException("cannot create " + tmp);
            }
            writer.writeInto(new OutputStore(fs, tmp, conf));
            if (fs.exists(target)) {
                Path old = temp(name + ".old");
                rename(target, old);
                try {
                    rename(tmp, target);
                } catch (IOException e) {
                    rename(old, target);
                    throw e;
                }
                fs.delete(old, true);
            } else {
                rename(tmp, target);
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + describe(e), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Reads a whole file of at most {@code maxBytes}; a larger file fails before anything is read, naming its size.
     */
    public byte[] readFile(String name, long maxBytes) throws IOException {
        Path p = path(name);
        FileStatus st;
        try {
            st = fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException(p + " does not exist");
        }
        if (!st.isFile()) {
            throw new IOException(p + " is not a file");
        }
        if (st.getLen() > maxBytes) {
            throw new IOException(p + " has " + st.getLen() + " bytes, more than the " + maxBytes + " allowed");
        }
        byte[] data = new byte[(int) st.getLen()];
        try (FSDataInputStream in = fs.open(p)) {
            in.readFully(0, data);
        }
        return data;
    }

    /** Deletes an entry (a file or a directory tree) if it exists. */
    public void delete(String name) throws IOException {
        fs.delete(path(name), true);
    }

    private boolean isObjectStore() {
        String scheme = fs.getUri().getScheme();
        return scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(Locale.ROOT));
    }

    private Path temp(String name) {
        return new Path(root, "." + checkedName(name) + ".tmp-" + UUID.randomUUID());
    }

    /** Renames a file over an existing one in one step. */
    private void replace(Path from, Path to) throws IOException {
        if (fs instanceof RawLocalFileSystem) {
            java.nio.file.Files.move(java.nio.file.Path.of(from.toUri()), java.nio.file.Path.of(to.toUri()),
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            FileContext.getFileContext(fs.getUri(), conf).rename(from, to, Options.Rename.OVERWRITE);
        }
    }

    private void rename(Path from, Path to) throws IOException {
        if (fs instanceof RawLocalFileSystem) {
            java.nio.file.Files.move(java.nio.file.Path.of(from.toUri()), java.nio.file.Path.of(to.toUri()),
                    StandardCopyOption.ATOMIC_MOVE);
        } else if (!fs.rename(from, to)) {
            throw new IOException("rename " + from + " to " + to + " failed");
        }
    }

    private void deleteQuietly(Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException ignored) {
            // the temporary entry is named .<name>.tmp-<uuid>; a later run ignores it
        }
    }

    private static String checkedName(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".")
                || name.equals("..")) {
            throw new IllegalArgumentException("not a plain file name: '" + name + "'");
        }
        return name;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException || e instanceof FileNotFoundException) {
            return "no such file or directory: " + m;
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + m;
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
