package dev.odeflow.driver.output;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who holds a {@link RunLock}, as written in the lock file:
 * {@code run <id> by <user>@<host> pid <pid> since <instant> in pid:[<inode>]} (the last part, the Linux PID
 * namespace, is absent where /proc is not).
 *
 * @param host         the owner's host name
 * @param pid          the owner's process id
 * @param since        when the owner took the lock (after its process started)
 * @param pidNamespace the owner's PID namespace ({@code pid:[4026531836]}), or empty when unknown
 */
record LockOwner(String host, long pid, Instant since, String pidNamespace) {

    private static final Pattern TEXT = Pattern.compile(
            "run \\S+ by \\S*@(\\S+) pid (\\d+) since (\\S+)(?: in (pid:\\[\\d+]))?");
    /** How much later than the lock a process with the owner's pid must have started to count as another one. */
    private static final long PID_REUSE_MARGIN_SECONDS = 60;

    /** This process as a lock owner, in the lock file's form. */
    static String describeCurrent() {
        String ns = currentPidNamespace();
        return "run " + UUID.randomUUID() + " by " + System.getProperty("user.name") + "@" + currentHost() + " pid "
                + ManagementFactory.getRuntimeMXBean().getPid() + " since " + Instant.now()
                + (ns.isEmpty() ? "" : " in " + ns);
    }

    /** The owner described by a lock file's text, if it has the form {@link #describeCurrent()} writes. */
    static Optional<LockOwner> parse(String text) {
        Matcher m = TEXT.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LockOwner(m.group(1), Long.parseLong(m.group(2)), Instant.parse(m.group(3)),
                    m.group(4) == null ? "" : m.group(4)));
        } catch (NumberFormatException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the owner is known to be dead: it ran on this host in this PID namespace (so its pid means the same
     * here), and no process with its pid is alive, or the one alive started well after the lock was taken (the
     * pid was reused). Anything uncertain (another host, an unknown namespace or start time) counts as alive.
     */
    boolean isGone() {
        if (!host.equals(currentHost()) || pidNamespace.isEmpty() || !pidNamespace.equals(currentPidNamespace())) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return true;
        }
        Optional<Instant> started = process.get().info().startInstant();
        return started.isPresent() && started.get().isAfter(since.plusSeconds(PID_REUSE_MARGIN_SECONDS));
    }

    static String currentHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    /** {@code pid:[<inode>]} from /proc/self/ns/pid, or empty where there is none. */
    static String currentPidNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return "";
        }
    }
}
