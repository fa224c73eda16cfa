package dev.odeflow.driver.output;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A run's exclusive ownership of its output directory: the file {@value #FILE_NAME} in it, created exclusively
 * (O_EXCL on a local disk, {@code create(overwrite=false)} on any other Hadoop file system), holding who owns
 * it ({@link LockOwner}: run id, user, host, pid, start time, PID namespace). While held, its modification time is
 * refreshed every {@value #REFRESH_SECONDS} s. A second live run gets an error naming the owner. Re-entrant within
 * one JVM (the train command holds it around training, which takes it too).
 *
 * <p>A run killed without a chance to clean up (SIGKILL, a lost container, a killed spark-submit driver) leaves
 * its lock behind, and a scheduler's retry of the same job (with {@code resume=auto}) must not be refused for it.
 * Such a lock is taken over, with a warning naming the dead owner:
 * <ul>
 *   <li>at once when its owner ran on this host in this PID namespace and its process is gone (no process with
 *       its pid, or one started well after the lock was taken): the retry on the same machine, e.g. a standalone
 *       worker relaunching a driver, or a cron job; an owner on the same host that is still alive is never taken
 *       over;</li>
 *   <li>otherwise (another host, where a pid says nothing) once it has not been refreshed for
 *       {@value #STALE_SECONDS} s: a retry elsewhere within that time is refused, naming the owner and the
 *       lock's age, and succeeds once the lock is stale (spark-submit {@code --supervise} relaunches keep trying;
 *       a scheduler's retry delay of 5 minutes, Airflow's default, is enough).</li>
 * </ul>
 */
public final class RunLock implements AutoCloseable {

    public static final String FILE_NAME = ".odeflow.lock";
    static final long REFRESH_SECONDS = 30;
    static final long STALE_SECONDS = 300;
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    private static final Map<String, RunLock> HELD = new HashMap<>();
    private static final ScheduledExecutorService HEARTBEAT = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "odeflow-run-lock");
        t.setDaemon(true);
        return t;
    });

    private final FileSystem fs;
    private final Path file;
    private final String owner;
    private final ScheduledFuture<?> beat;
    private int holds = 1;

    private RunLock(FileSystem fs, Path file, String owner) {
        this.fs = fs;
        this.file = file;
        this.owner = owner;
        this.beat = HEARTBEAT.scheduleAtFixedRate(this::refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    /** Takes the lock of directory {@code dir} (a path or URI on any Hadoop file system), creating the directory. */
    public static RunLock acquire(String dir, Configuration conf) {
        return acquire(dir, conf, STALE_SECONDS);
    }

    static synchronized RunLock acquire(String dir, Configuration conf, long staleSeconds) {
        try {
            Path d = new Path(dir);
            FileSystem fs = d.getFileSystem(conf);
            Path file = fs.makeQualified(new Path(d, FILE_NAME));
            RunLock held = HELD.get(file.toString());
            if (held != null) {
                held.holds++;
                return held;
            }
            fs.mkdirs(d);
            String owner = LockOwner.describeCurrent();
            for (int attempt = 0; attempt < 3; attempt++) {
                if (createExclusive(fs, file, owner)) {
                    RunLock lock = new RunLock(fs, file, owner);
                    HELD.put(file.toString(), lock);
                    return lock;
                }
                FileStatus st;
                try {
                    st = fs.getFileStatus(file);
                } catch (FileNotFoundException gone) {
                    continue;
                }
                long age = Math.max(0, (System.currentTimeMillis() - st.getModificationTime()) / 1000);
                String other = read(fs, file);
                if (age > staleSeconds) {
                    LOG.warn("taking over the lock {} of a run that stopped refreshing it {} s ago: {}", file, age, other);
                    fs.delete(file, false);
                    continue;
                }
                if (LockOwner.parse(other).filter(LockOwner::isGone).isPresent()) {
                    LOG.warn("taking over the lock {} of a run whose process on this host is gone: {}", file, other);
                    fs.delete(file, false);
                    continue;
                }
                throw new OutputInUseException("output directory " + dir + " is in use by another run (" + other
                        + "; its lock " + file + " was refreshed " + age + " s ago). Wait for it to finish, choose"
                        + " another output.dir, or delete the lock file if that run is dead (a lock not refreshed"
                        + " for " + staleSeconds + " s, or whose process on this host is gone, is taken over"
                        + " automatically)");
            }
            throw new OutputInUseException("could not take the lock " + file + ": it keeps reappearing");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock output directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Who holds this lock: run id, user, host, pid and start time. */
    public String owner() {
        return owner;
    }

    /** Releases one hold; the last one deletes the lock file (unless another run has taken it over). */
    @Override
    public void close() {
        synchronized (RunLock.class) {
            if (--holds > 0) {
                return;
            }
            HELD.remove(file.toString());
        }
        beat.cancel(false);
        try {
            String now = read(fs, file);
            if (owner.equals(now)) {
                fs.delete(file, false);
            } else {
                LOG.warn("lock {} now belongs to another run ({}); leaving it", file, now);
            }
        } catch (IOException e) {
            LOG.warn("could not release the lock {}: {}", file, e.getMessage());
        }
    }

    private void refresh() {
        try {
            fs.setTimes(file, System.currentTimeMillis(), -1);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not refresh the lock {}: {}", file, e.getMessage());
        }
    }

    private static boolean createExclusive(FileSystem fs, Path file, String owner) throws IOException {
        byte[] bytes = (owner + "\n").getBytes(StandardCharsets.UTF_8);
        if (fs instanceof LocalFileSystem local) {
            try {
                Files.write(local.pathToFile(file).toPath(), bytes, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write(bytes);
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
    }

    private static String read(FileSystem fs, Path file) throws IOException {
        try (FSDataInputStream in = fs.open(file)) {
            byte[] b = in.readNBytes(1024);
            return new String(b, StandardCharsets.UTF_8).strip();
        } catch (FileNotFoundException e) {
            return "(released)";
        }
    }
}
