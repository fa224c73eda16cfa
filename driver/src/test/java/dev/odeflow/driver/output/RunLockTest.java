package dev.odeflow.driver.output;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding: two runs on one output directory both exited 0 and only one run's files survived. */
class RunLockTest {

    @Test
    void aSecondLiveRunIsRefusedNamingTheOwner(@TempDir Path dir) throws Exception {
        Path lockFile = dir.resolve(RunLock.FILE_NAME);
        Files.writeString(lockFile, "run 1234 by alice@node7 pid 42 since 2026-12-01T10:00:00Z\n");
        OutputInUseException e = assertThrows(OutputInUseException.class,
                () -> RunLock.acquire(dir.toString(), new Configuration()));
        assertTrue(e.getMessage().contains("alice@node7 pid 42") && e.getMessage().contains(dir.toString())
                && e.getMessage().contains("another output.dir"), e.getMessage());
        assertTrue(Files.readString(lockFile).contains("alice@node7"), "the other run's lock is untouched");
    }

    @Test
    void aStaleLockIsTakenOverAndReleasedOnClose(@TempDir Path dir) throws Exception {
        Path lockFile = dir.resolve(RunLock.FILE_NAME);
        Files.writeString(lockFile, "run 1234 by bob@node8 pid 43 since 2026-12-01T10:00:00Z\n");
        Files.setLastModifiedTime(lockFile, FileTime.from(Instant.now().minusSeconds(RunLock.STALE_SECONDS + 60)));
        try (RunLock lock = RunLock.acquire(dir.toString(), new Configuration())) {
            assertEquals(lock.owner(), Files.readString(lockFile).strip());
            assertTrue(lock.owner().contains("pid " + ProcessHandle.current().pid()), lock.owner());
            try (RunLock again = RunLock.acquire(dir.toString(), new Configuration())) {
                assertSame(lock, again, "re-entrant within one JVM");
            }
            assertTrue(Files.exists(lockFile), "still held by the outer hold");
        }
        assertFalse(Files.exists(lockFile), "released");
    }

    @Test
    void aPlantedLinkAtTheLockNameIsNotFollowed(@TempDir Path dir) throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.createSymbolicLink(out.resolve(RunLock.FILE_NAME), victim);
        assertThrows(OutputInUseException.class, () -> RunLock.acquire(out.toString(), new Configuration()));
        assertEquals("precious", Files.readString(victim));
    }
}
