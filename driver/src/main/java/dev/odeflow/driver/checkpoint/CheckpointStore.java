package dev.odeflow.driver.checkpoint;

import dev.odeflow.driver.optim.OptimizerState;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import dev.odeflow.driver.output.OutputStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Reads and writes {@link Checkpoint}s as {@code checkpoint-<iteration>.ckpt} files in one directory.
 *
 * <p>File layout: the 8 ASCII bytes {@code ODEFCKPT}, an int format version, an int payload length, the
 * payload, and a long CRC32 of the payload. The payload holds iteration, seed, partitions, global batch,
 * the parameters, the optimizer's name, step and slots, the run id and the configuration fingerprint. A file
 * is written under a fresh hidden temporary name (random, created exclusively: never an existing file or link)
 * and renamed into place, so a reader never sees a partial checkpoint; the newest {@code keep} are kept.
 */
public final class CheckpointStore {

    private static final byte[] MAGIC = "ODEFCKPT".getBytes(StandardCharsets.US_ASCII);
    /** Format 2 adds the run id and the configuration fingerprint; format 1 files still load. */
    private static final int VERSION = 2;
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)\\.ckpt");

    private final FileSystem fs;
    private final Path dir;
    private final int keep;

    /** A store in {@code dir} on the file system its URI names. */
    public CheckpointStore(String dir, Configuration conf, int keep) {
        this(fileSystem(dir, conf), new Path(dir), keep);
    }

    /** A store on an explicit file system (tests wrap one to inject failures). */
    public CheckpointStore(FileSystem fs, Path dir, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1");
        }
        this.fs = fs;
        this.dir = fs.makeQualified(dir);
        this.keep = keep;
    }

    private static FileSystem fileSystem(String dir, Configuration conf) {
        try {
            return new Path(dir).getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the file system of checkpoint directory " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The file of the checkpoint after {@code iteration} iterations. */
    public Path pathOf(long iteration) {
        return new Path(dir, String.format("checkpoint-%010d.ckpt", iteration));
    }

    /** Writes {@code c} atomically and prunes old checkpoints; returns the file written. */
    public Path write(Checkpoint c) {
        byte[] payload = encode(c);
        CRC32 crc = new CRC32();
        crc.update(payload);
        Path target = pathOf(c.iteration());
        try {
            OutputStore.on(fs, dir, fs.getConf()).writeFile(target.getName(), stream -> {
                java.io.DataOutputStream out = new java.io.DataOutputStream(stream);
                out.write(MAGIC);
                out.writeInt(VERSION);
                out.writeInt(payload.length);
                out.write(payload);
                out.writeLong(crc.getValue());
                out.flush();
            });
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        prune();
        return target;
    }

    /**
     * Moves every checkpoint into a new subdirectory {@code superseded-<time>} (which {@link #list()} does not
     * see) and returns it.
     */
    public Path moveAside() {
        Path aside = new Path(dir, "superseded-" + java.time.LocalDateTime.now().format(
                java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
        try {
            if (!fs.mkdirs(aside)) {
                throw new IOException("mkdirs returned false");
            }
            for (Path p : list()) {
                if (!fs.rename(p, new Path(aside, p.getName()))) {
                    throw new IOException("rename " + p + " failed");
                }
            }
            return aside;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the checkpoints of " + dir + " aside into " + aside + ": "
                    + e.getMessage(), e);
        }
    }

    /** The newest checkpoint's file, if any. */
    public Optional<Path> latestPath() {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Loads the newest checkpoint, if any; a corrupted newest file is an error (no silent fallback). */
    public Optional<Checkpoint> latest() {
        return latestPath().map(this::read);
    }

    /** Reads and verifies one checkpoint file. */
    public Checkpoint read(Path file) {
        byte[] all;
        try (FSDataInputStream in = fs.open(file)) {
            all = in.readAllBytes();
        } catch (ChecksumException e) {
            throw new CorruptCheckpointException(file.toString(), "the file system's checksum does not match ("
                    + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
        String name = file.toString();
        int header = MAGIC.length + 8;
        if (all.length < header + 8 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new CorruptCheckpointException(name, "not an odeflow checkpoint (bad header or too short, "
                    + all.length + " bytes)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, MAGIC.length, all.length))) {
            int version = in.readInt();
            if (version != 1 && version != VERSION) {
                throw new CorruptCheckpointException(name, "unsupported format version " + version);
            }
            int len = in.readInt();
            if (len < 0 || (long) header + len + 8 != all.length) {
                throw new CorruptCheckpointException(name, "payload length " + len + " does not match file size "
                        + all.length + " (truncated or padded)");
            }
            byte[] payload = new byte[len];
            in.readFully(payload);
            long stored = in.readLong();
            CRC32 crc = new CRC32();
            crc.update(payload);
            if (crc.getValue() != stored) {
                throw new CorruptCheckpointException(name, String.format(
                        "CRC32 mismatch (stored %08x, computed %08x)", stored, crc.getValue()));
            }
            return decode(payload, name, version);
        } catch (IOException e) {
            throw new CorruptCheckpointException(name, "unreadable: " + e);
        }
    }

    /** Checkpoint files in ascending iteration order. */
    public List<Path> list() {
        try {
            if (!fs.exists(dir)) {
                return List.of();
            }
            List<long[]> found = new ArrayList<>();
            List<Path> paths = new ArrayList<>();
            for (FileStatus s : fs.listStatus(dir)) {
                Matcher m = NAME.matcher(s.getPath().getName());
                if (s.isFile() && m.matches()) {
                    long iteration;
                    try {
                        iteration = Long.parseLong(m.group(1));
                    } catch (NumberFormatException e) {
                        throw new CorruptCheckpointException(s.getPath().toString(),
                                "the iteration in its name is out of range; move or delete the file");
                    }
                    found.add(new long[] {iteration, paths.size()});
                    paths.add(s.getPath());
                }
            }
            found.sort((a, b) -> Long.compare(a[0], b[0]));
            List<Path> out = new ArrayList<>();
            for (long[] f : found) {
                out.add(paths.get((int) f[1]));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoint directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private void prune() {
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            deleteQuietly(all.get(i));
        }
    }

    private void deleteQuietly(Path p) {
        try {
            fs.delete(p, false);
        } catch (IOException | RuntimeException ignored) {
            // best effort: a leftover temporary or old file is never read as a checkpoint
        }
    }

    static byte[] encode(Checkpoint c) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(c.iteration());
            out.writeLong(c.seed());
            out.writeInt(c.partitions());
            out.writeInt(c.globalBatch());
            writeArray(out, c.parameters());
            OptimizerState s = c.optimizer();
            out.writeUTF(s.optimizer());
            out.writeLong(s.step());
            out.writeInt(s.slotCount());
            for (double[] slot : s.slots()) {
                writeArray(out, slot);
            }
            out.writeUTF(c.runId());
            out.writeInt(c.config().size());
            for (Map.Entry<String, String> e : c.config().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Checkpoint decode(byte[] payload, String name, int version) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            long iteration = in.readLong();
            long seed = in.readLong();
            int partitions = in.readInt();
            int batch = in.readInt();
            double[] w = readArray(in, payload.length);
            String opt = in.readUTF();
            long step = in.readLong();
            int slots = in.readInt();
            if (slots < 0 || slots > 16) {
                throw new CorruptCheckpointException(name, "implausible optimizer slot count " + slots);
            }
            double[][] s = new double[slots][];
            for (int i = 0; i < slots; i++) {
                s[i] = readArray(in, payload.length);
            }
            String runId = "";
            SortedMap<String, String> config = new TreeMap<>();
            if (version >= 2) {
                runId = in.readUTF();
                int entries = in.readInt();
                if (entries < 0 || entries > 1000) {
                    throw new CorruptCheckpointException(name, "implausible configuration size " + entries);
                }
                for (int i = 0; i < entries; i++) {
                    config.put(in.readUTF(), in.readUTF());
                }
            }
            if (in.available() != 0) {
                throw new CorruptCheckpointException(name, in.available() + " unexpected trailing payload bytes");
            }
            return new Checkpoint(iteration, w, new OptimizerState(opt, step, s), seed, partitions, batch, runId,
                    config);
        } catch (EOFException e) {
            throw new CorruptCheckpointException(name, "payload ends early");
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptCheckpointException(name, "invalid payload: " + e.getMessage());
        }
    }

    private static void writeArray(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double v : a) {
            out.writeLong(Double.doubleToRawLongBits(v));
        }
    }

    private static double[] readArray(DataInputStream in, int limit) throws IOException {
        int n = in.readInt();
        if (n < 0 || (long) n * 8 > limit) {
            throw new EOFException();
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = Double.longBitsToDouble(in.readLong());
        }
        return a;
    }
}
