package dev.odeflow.jobs.cli;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;

/**
 * A file system under the scheme {@value #SCHEME}{@code :} that keeps its files on the local disk at the same
 * paths: a stand-in for {@code hdfs:} or {@code s3a:} in tests. It has no Hadoop {@code AbstractFileSystem}
 * binding, so the output store treats it as any other non-local file system (Hadoop renames, no appends, no java.nio
 * paths). Register it with {@code fs.foreign.impl}. Statuses are plain (default permissions): the raw local file
 * system's own ones read permissions through {@code java.io.File(URI)}, which takes only {@code file:} URIs.
 */
public class ForeignFileSystem extends RawLocalFileSystem {

    public static final String SCHEME = "foreign";

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        File file = pathToFile(f);
        if (!file.exists()) {
            throw new FileNotFoundException(f + " does not exist");
        }
        return status(file, makeQualified(f));
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        File dir = pathToFile(f);
        if (!dir.exists()) {
            throw new FileNotFoundException(f + " does not exist");
        }
        if (!dir.isDirectory()) {
            return new FileStatus[] {status(dir, makeQualified(f))};
        }
        String[] names = dir.list();
        FileStatus[] out = new FileStatus[names == null ? 0 : names.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = status(new File(dir, names[i]), makeQualified(new Path(f, names[i])));
        }
        return out;
    }

    private FileStatus status(File file, Path qualified) {
        return new FileStatus(file.isDirectory() ? 0 : file.length(), file.isDirectory(), 1,
                getDefaultBlockSize(qualified), file.lastModified(), qualified);
    }
}
