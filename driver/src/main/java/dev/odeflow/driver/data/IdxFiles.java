package dev.odeflow.driver.data;

import dev.odeflow.kernels.nn.MapShape;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST's IDX files (LeCun's format, also Fashion-MNIST's) on the driver through Hadoop's FileSystem (a
 * local path, {@code file:}, {@code hdfs:} ...), each plain or gzipped ({@code .gz}). An images file is the magic
 * number 0x00000803, the counts n, rows and columns (big-endian 32-bit), then n × rows × columns unsigned bytes; a
 * labels file is 0x00000801, n, then n bytes. Every header is checked against the bytes that follow, and the
 * labels against the images; each error is a {@link DataException} naming the file, what was expected and what was
 * found.
 */
public final class IdxFiles {

    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;
    /** What the name of a gzipped file ends with. */
    public static final String GZ = ".gz";
    private static final String IMAGES_SUFFIX = "-images-idx3-ubyte";
    private static final String LABELS_SUFFIX = "-labels-idx1-ubyte";

    /** The two file pairs of an MNIST directory. */
    public enum Part {
        /** {@code train-images-idx3-ubyte} and {@code train-labels-idx1-ubyte}: training and validation. */
        TRAIN("train"),
        /** {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}: the test set. */
        TEST("t10k");

        private final String prefix;

        Part(String prefix) {
            this.prefix = prefix;
        }

        public String imagesFile() {
            return prefix + IMAGES_SUFFIX;
        }

        public String labelsFile() {
            return prefix + LABELS_SUFFIX;
        }
    }

    private IdxFiles() {
    }

    /** Whether {@code location} names an IDX images file ({@code ...-images-idx3-ubyte}, possibly .gz). */
    public static boolean isImagesFile(String location) {
        String n = location.toLowerCase(Locale.ROOT);
        return n.endsWith(IMAGES_SUFFIX) || n.endsWith(IMAGES_SUFFIX + GZ);
    }

    /** Whether directory {@code dir} holds {@code part}'s images file (plain or gzipped). */
    public static boolean hasPart(String dir, Part part, Configuration conf) throws IOException {
        Path d = new Path(dir);
        FileSystem fs = d.getFileSystem(conf);
        return find(fs, d, part.imagesFile()) != null;
    }

    /** The images and labels of {@code part} in directory {@code dir}; both files must be there. */
    public static IdxImages read(String dir, Part part, Configuration conf) throws IOException {
        Path d = new Path(dir);
        FileSystem fs = d.getFileSystem(conf);
        if (!fs.exists(d) || !fs.getFileStatus(d).isDirectory()) {
            throw new DataException(dir + ": not a directory (data.format=idx reads a directory holding "
                    + Part.TRAIN.imagesFile() + ", " + Part.TRAIN.labelsFile() + ", " + Part.TEST.imagesFile() + " and "
                    + Part.TEST.labelsFile() + ", each possibly " + GZ + ")");
        }
        Path images = require(fs, d, part.imagesFile());
        Path labels = require(fs, d, part.labelsFile());
        return read(fs, images, labels);
    }

    /** The images of {@code part} in directory {@code dir}, with its labels when its labels file is there. */
    public static IdxImages readImages(String dir, Part part, Configuration conf) throws IOException {
        Path d = new Path(dir);
        FileSystem fs = d.getFileSystem(conf);
        return read(fs, require(fs, d, part.imagesFile()), find(fs, d, part.labelsFile()));
    }

    /** The images of one images file, with the labels of the labels file beside it when there is one. */
    public static IdxImages readImagesFile(String file, Configuration conf) throws IOException {
        Path images = new Path(file);
        FileSystem fs = images.getFileSystem(conf);
        if (!fs.exists(images) || !fs.getFileStatus(images).isFile()) {
            throw new DataException(file + ": no such file");
        }
        String name = images.getName();
        String stem = name.endsWith(GZ) ? name.substring(0, name.length() - GZ.length()) : name;
        Path labels = null;
        if (stem.endsWith(IMAGES_SUFFIX)) {
            labels = find(fs, images.getParent(), stem.substring(0, stem.length() - IMAGES_SUFFIX.length())
                    + LABELS_SUFFIX);
        }
        return read(fs, images, labels);
    }

    private static IdxImages read(FileSystem fs, Path images, Path labels) throws IOException {
        String imagesSource = images.toString();
        IdxImages read;
        try (DataInputStream in = open(fs, images)) {
            read = images(in, imagesSource);
        }
        if (labels == null) {
            return read;
        }
        int[] l;
        try (DataInputStream in = open(fs, labels)) {
            l = labels(in, labels.toString());
        }
        if (l.length != read.n()) {
            throw new DataException(labels + " holds " + l.length + " labels, but " + images.getName() + " holds "
                    + read.n() + " images");
        }
        return new IdxImages(read.shape(), read.n(), read.pixels(), l, imagesSource);
    }

    /** Parses an images file from its (decompressed) stream; {@code source} names it in errors. */
    public static IdxImages images(InputStream stream, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        int[] header = header(in, source, IMAGES_MAGIC, "images", 3);
        int n = header[0];
        int rows = header[1];
        int cols = header[2];
        if (rows < 1 || cols < 1) {
            throw new DataException(source + ": the header gives images of " + rows + " × " + cols
                    + " pixels; expected at least 1 × 1");
        }
        long size = (long) n * rows * cols;
        if (size > Integer.MAX_VALUE - 16) {
            throw new DataException(source + ": " + n + " images of " + rows + " × " + cols + " are " + size
                    + " bytes, more than the driver reads into one array; convert them to Parquet");
        }
        byte[] pixels = body(in, (int) size, source, n + " images of " + rows + " × " + cols + " pixels");
        return new IdxImages(new MapShape(rows, cols, 1), n, pixels, null, source);
    }

    /** Parses a labels file from its (decompressed) stream; {@code source} names it in errors. */
    public static int[] labels(InputStream stream, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        int n = header(in, source, LABELS_MAGIC, "labels", 1)[0];
        byte[] bytes = body(in, n, source, n + " labels");
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = bytes[i] & 0xff;
        }
        return labels;
    }

    /** The magic number (checked) and the {@code dims} counts that follow it (each >= 0). */
    private static int[] header(DataInputStream in, String source, int magic, String what, int dims)
            throws IOException {
        int bytes = 4 * (dims + 1);
        int[] counts = new int[dims];
        int found;
        try {
            found = in.readInt();
            if (found != magic) {
                String hint = found == LABELS_MAGIC ? "; it is a labels file" : found == IMAGES_MAGIC
                        ? "; it is an images file" : "";
                throw new DataException(String.format(Locale.ROOT, "%s: magic number 0x%08X, expected 0x%08X (an IDX"
                        + " %s file)%s", source, found, magic, what, hint));
            }
            for (int i = 0; i < dims; i++) {
                counts[i] = in.readInt();
                if (counts[i] < 0) {
                    throw new DataException(source + ": the header's count " + (i + 1) + " is " + counts[i]
                            + "; expected >= 0");
                }
            }
        } catch (EOFException e) {
            throw new DataException(source + ": shorter than the " + bytes + "-byte header of an IDX " + what
                    + " file", e);
        }
        return counts;
    }

    /** Exactly {@code size} bytes, then the end of the file. */
    private static byte[] body(DataInputStream in, int size, String source, String what) throws IOException {
        byte[] out = new byte[size];
        int read = in.readNBytes(out, 0, size);
        if (read < size) {
            throw new DataException(source + ": the header announces " + what + " (" + size + " bytes after it),"
                    + " but only " + read + " bytes follow");
        }
        long extra = 0;
        byte[] skip = new byte[8192];
        for (int k; (k = in.read(skip)) > 0; ) {
            extra += k;
        }
        if (extra > 0) {
            throw new DataException(source + ": the header announces " + what + " (" + size + " bytes after it),"
                    + " but " + (size + extra) + " bytes follow");
        }
        return out;
    }

    /** The file, decompressed when its name ends in .gz; a damaged gzip stream is named. */
    private static DataInputStream open(FileSystem fs, Path file) throws IOException {
        InputStream raw = fs.open(file);
        if (!file.getName().endsWith(GZ)) {
            return new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16));
        }
        try {
            return new DataInputStream(new java.io.BufferedInputStream(new GzipNamed(raw, file.toString()), 1 << 16));
        } catch (IOException e) {
            raw.close();
            throw new DataException(file + ": not a gzip file (" + e.getMessage() + ")", e);
        }
    }

    /** A gzip stream whose errors name the file. */
    private static final class GzipNamed extends GZIPInputStream {
        private final String source;

        GzipNamed(InputStream in, String source) throws IOException {
            super(in, 1 << 16);
            this.source = source;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            try {
                return super.read(buf, off, len);
            } catch (EOFException e) {
                throw new DataException(source + ": the gzip stream ends early (a truncated file)", e);
            } catch (java.util.zip.ZipException e) {
                throw new DataException(source + ": damaged gzip data (" + e.getMessage() + ")", e);
            }
        }
    }

    /** {@code name} or {@code name.gz} in {@code dir}; an error naming both and what the directory holds. */
    private static Path require(FileSystem fs, Path dir, String name) throws IOException {
        Path p = find(fs, dir, name);
        if (p == null) {
            String[] held = Arrays.stream(fs.listStatus(dir)).map(FileStatus::getPath).map(Path::getName).sorted()
                    .limit(20).toArray(String[]::new);
            throw new DataException(dir + ": no " + name + " or " + name + GZ + " (the directory holds "
                    + Arrays.toString(held) + ")");
        }
        return p;
    }

    /** {@code name} in {@code dir} if it is a file there, else {@code name.gz}, else null. */
    private static Path find(FileSystem fs, Path dir, String name) throws IOException {
        for (String n : new String[] {name, name + GZ}) {
            Path p = new Path(dir, n);
            if (fs.exists(p) && fs.getFileStatus(p).isFile()) {
                return p;
            }
        }
        return null;
    }
}
