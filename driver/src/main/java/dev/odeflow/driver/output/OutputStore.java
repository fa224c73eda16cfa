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
    /** The local disk through Hadoop's raw local file system: POSIX renames, java.nio paths. */
    private final boolean local;

    private OutputStore(FileSystem fs, Path root, Configuration conf, boolean local) {
        this.fs = fs;
        this.root = root;
        this.conf = conf;
        this.local = local;
    }

    /** The store of a local directory (always the local disk, whatever Hadoop's default file system is). */
    public static OutputStore local(java.nio.file.Path dir) throws IOException {
        return at(dir.toAbsolutePath().normalize().toUri().toString(), LocalConf.CONF);
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

    /**
     * The store at {@code location}: a URI of any Hadoop file system ({@code file:/…}, {@code hdfs://…},
     * {@code s3a://…}), or a path without a scheme, which is on Hadoop's default file system ({@code fs.defaultFS}:
     * the local disk unless the cluster's configuration says otherwise), relative paths against its working
     * directory, as Spark reads {@code data.path}.
     *
     * @throws IllegalArgumentException naming the location when it is empty or not a valid URI
     */
    public static OutputStore at(String location, Configuration conf) throws IOException {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("an output location is empty");
        }
        Path given;
        try {
            given = new Path(location.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid path or URI: '" + location + "': " + e.getMessage(), e);
        }
        FileSystem fs = given.getFileSystem(conf);
        URI uri = fs.makeQualified(given).toUri();
        if ("file".equals(uri.getScheme())) {
            RawLocalFileSystem local = new RawLocalFileSystem();
            local.initialize(URI.create("file:///"), conf);
            return new OutputStore(local, new Path("file", null, java.nio.file.Path.of(uri).normalize().toString()), conf,
                    true);
        }
        return new OutputStore(fs, new Path(uri), conf, false);
    }

    /**
     * A store on a given file system instance (the checkpoint store's, which tests wrap to inject failures; tests
     * also use Hadoop's checksummed local file system for the generic path).
     */
    public static OutputStore on(FileSystem fs, Path dir, Configuration conf) {
        return new OutputStore(fs, fs.makeQualified(dir), conf, false);
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
        return new OutputStore(fs, path(name), conf, local);
    }

    /** The local path of the store, when it is on the local file system. */
    public java.util.Optional<java.nio.file.Path> localPath() {
        return local ? java.util.Optional.of(java.nio.file.Path.of(root.toUri()))
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

    /** Creates a file or directory at a Hadoop path that does not exist yet (e.g. a Spark writer's output). */
    @FunctionalInterface
    public interface EntryWriter {
        void create(Path fresh) throws IOException;
    }

    /**
     * Builds the directory {@code name} under a temporary name, then swaps it in: an existing directory is replaced
     * only after the new one is complete.
     */
    public void writeDirectory(String name, DirectoryWriter writer) throws IOException {
        publish(name, fresh -> {
            if (!fs.mkdirs(fresh)) {
                throw new IOException("cannot create " + fresh);
            }
            writer.writeInto(new OutputStore(fs, fs.makeQualified(fresh), conf, local));
        });
    }

    /**
     * Lets {@code writer} create the entry {@code name} (a file or a directory) under a temporary name beside it,
     * then swaps it in with two renames (the old entry aside, the new one in, the old one deleted); if the writer
     * fails, nothing at {@code name} changes and the temporary entry is removed. This is how Spark's writers (a
     * directory of part files) publish into the store.
     */
    public void publish(String name, EntryWriter writer) throws IOException {
        Path target = path(name);
        Path tmp = temp(name);
        try {
            fs.mkdirs(root);
            writer.create(tmp);
            if (!fs.exists(tmp)) {
                throw new IOException("nothing was written at " + tmp);
            }
            if (fs.exists(target)) {
                if (fs.getFileStatus(target).isDirectory() != fs.getFileStatus(tmp).isDirectory()) {
                    throw new IOException("it exists and is a " + (fs.getFileStatus(target).isDirectory()
                            ? "directory" : "file") + "; remove it or choose another name");
                }
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

    /** Moves the entry {@code from} (e.g. a part file inside a temporary directory) over {@code name}. */
    public void moveInto(Path from, String name) throws IOException {
        Path target = path(name);
        try {
            replace(fs.makeQualified(from), target);
        } catch (IOException e) {
            throw new IOException("cannot move " + from + " to " + target + ": " + describe(e), e);
        }
    }

    /** Whether the store's directory exists (and is a directory). */
    public boolean isDirectory() throws IOException {
        return fs.exists(root) && fs.getFileStatus(root).isDirectory();
    }

    /** Whether {@code name} exists and is a regular file. */
    public boolean isFile(String name) throws IOException {
        Path p = path(name);
        return fs.exists(p) && fs.getFileStatus(p).isFile();
    }

    /** The names of the entries of the directory, sorted. */
    public java.util.List<String> list() throws IOException {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (FileStatus st : fs.listStatus(root)) {
            names.add(st.getPath().getName());
        }
        java.util.Collections.sort(names);
        return names;
    }

    /** A file opened for reading at any position; {@link #size()} is its length when opened. */
    public static final class Input implements java.io.Closeable {
        private final FSDataInputStream in;
        private final long size;
        private final String source;

        private Input(FSDataInputStream in, long size, String source) {
            this.in = in;
            this.size = size;
            this.source = source;
        }

        public long size() {
            return size;
        }

        /** The file's location, for messages. */
        public String source() {
            return source;
        }

        /** Reads {@code into.length} bytes starting at {@code position}; a short file is an EOFException. */
        public void readFully(long position, byte[] into) throws IOException {
            in.readFully(position, into);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Opens the file {@code name} for positional reads. */
    public Input open(String name) throws IOException {
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
        return new Input(fs.open(p), st.getLen(), p.toString());
    }

    /**
     * Reads a whole file of at most {@code maxBytes}; a larger file fails before anything is read, naming its size.
     */
    public byte[] readFile(String name, long maxBytes) throws IOException {
        try (Input in = open(name)) {
            if (in.size() > maxBytes) {
                throw new IOException(in.source() + " has " + in.size() + " bytes, more than the " + maxBytes
                        + " allowed");
            }
            byte[] data = new byte[(int) in.size()];
            in.readFully(0, data);
            return data;
        }
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
        if (local) {
            java.nio.file.Files.move(java.nio.file.Path.of(from.toUri()), java.nio.file.Path.of(to.toUri()),
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        FileContext context;
        try {
            context = FileContext.getFileContext(fs.getUri(), conf);
        } catch (org.apache.hadoop.fs.UnsupportedFileSystemException e) {
            // A file system without Hadoop's AbstractFileSystem binding has no rename-with-overwrite: the old file
            // is removed just before the rename, so a reader may find the name absent for that instant (never
            // half-written).
            fs.delete(to, false);
            rename(from, to);
            return;
        }
        context.rename(from, to, Options.Rename.OVERWRITE);
    }

    private void rename(Path from, Path to) throws IOException {
        if (local) {
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
