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

    /** A retry of a killed run on the same machine (a relaunched driver, a cron job) takes its fresh lock over. */
    @Test
    void aFreshLockOfADeadProcessOnThisHostIsTakenOverAtOnce(@TempDir Path dir) throws Exception {
        Process ended = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(ended.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        Path lockFile = dir.resolve(RunLock.FILE_NAME);
        String here = LockOwner.currentHost();
        String ns = LockOwner.currentPidNamespace();
        org.junit.jupiter.api.Assumptions.assumeFalse(ns.isEmpty(), "needs /proc/self/ns/pid (Linux)");
        Files.writeString(lockFile, "run 1234 by carol@" + here + " pid " + ended.pid() + " since "
                + Instant.now().minusSeconds(5) + " in " + ns + "\n");
        try (RunLock lock = RunLock.acquire(dir.toString(), new Configuration())) {
            assertEquals(lock.owner(), Files.readString(lockFile).strip(), "taken over though refreshed just now");
            assertTrue(lock.owner().endsWith(" in " + ns), lock.owner());
        }
    }

    @Test
    void aLiveOwnerOnThisHostOrAnOwnerElsewhereKeepsItsFreshLock(@TempDir Path dir) throws Exception {
        Path lockFile = dir.resolve(RunLock.FILE_NAME);
        String ns = LockOwner.currentPidNamespace();
        long alive = ProcessHandle.current().parent().orElseThrow().pid();
        String live = "run 1 by dave@" + LockOwner.currentHost() + " pid " + alive + " since " + Instant.now()
                + " in " + ns;
        Files.writeString(lockFile, live + "\n");
        assertThrows(OutputInUseException.class, () -> RunLock.acquire(dir.toString(), new Configuration()));
        assertEquals(live, Files.readString(lockFile).strip());
        // a pid on another host says nothing about a process here
        String elsewhere = "run 2 by erin@" + LockOwner.currentHost() + "-other pid 999999999 since " + Instant.now()
                + " in " + ns;
        Files.writeString(lockFile, elsewhere + "\n");
        assertThrows(OutputInUseException.class, () -> RunLock.acquire(dir.toString(), new Configuration()));
        assertEquals(elsewhere, Files.readString(lockFile).strip());
        // so does one written without a PID namespace (another operating system)
        String unknown = "run 3 by frank@" + LockOwner.currentHost() + " pid 999999999 since " + Instant.now();
        Files.writeString(lockFile, unknown + "\n");
        assertThrows(OutputInUseException.class, () -> RunLock.acquire(dir.toString(), new Configuration()));
    }

    @Test
    void ownerTextRoundTrips() {
        LockOwner me = LockOwner.parse(LockOwner.describeCurrent()).orElseThrow();
        assertEquals(ProcessHandle.current().pid(), me.pid());
        assertEquals(LockOwner.currentHost(), me.host());
        assertFalse(me.isGone(), "this JVM is alive");
        assertTrue(LockOwner.parse("precious").isEmpty());
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
