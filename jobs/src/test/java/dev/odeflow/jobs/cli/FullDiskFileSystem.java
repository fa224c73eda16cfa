package dev.odeflow.jobs.cli;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

import java.io.IOException;

/**
 * A local file system (for {@code fs.file.impl}) on which creating a file under a directory whose name contains
 * {@link #MARKER} fails as a full disk does: the seam for "the output disk is full" in tests run as root, where
 * read-only directories do not stop writes.
 */
public class FullDiskFileSystem extends RawLocalFileSystem {

    public static final String MARKER = "full-disk";

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        failIfFull(f);
        return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
    }

    @Override
    public FSDataOutputStream createNonRecursive(Path f, FsPermission permission, java.util.EnumSet<
            org.apache.hadoop.fs.CreateFlag> flags, int bufferSize, short replication, long blockSize,
                                                 Progressable progress) throws IOException {
        failIfFull(f);
        return super.createNonRecursive(f, permission, flags, bufferSize, replication, blockSize, progress);
    }

    private static void failIfFull(Path f) throws IOException {
        if (f.toString().contains(MARKER)) {
            throw new IOException("No space left on device");
        }
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                     short replication, long blockSize, Progressable progress) throws IOException {
        failIfFull(f);
        return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
    }
}
