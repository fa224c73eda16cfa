package dev.odeflow.jobs.cluster;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A Spark standalone master and workers, each its own JVM on 127.0.0.1, running from the test class path.
 * Executors get the same class path through {@code spark.executor.extraClassPath}; the workers' SPARK_HOME is an
 * empty directory with an empty {@code jars/}. {@link #close()} kills every process it started, with their
 * descendants (executors).
 */
final class LocalStandaloneCluster implements AutoCloseable {

    static final String ADD_OPENS = System.getProperty("odeflow.test.addOpens", String.join(" ",
            "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true"));

    /** The master and workers only pass messages: start them quickly and small. */
    private static final List<String> DAEMON_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final Path dir;
    private final String classPath;
    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> workerPorts = new ArrayList<>();
    private final Path sparkHome;
    private int masterPort;
    private int masterUiPort;

    LocalStandaloneCluster(Path dir) throws IOException {
        this.dir = dir;
        this.classPath = testClassPath();
        this.sparkHome = Files.createDirectories(dir.resolve("spark-home"));
        Files.createDirectories(sparkHome.resolve("jars"));
    }

    /** The test JVM's real class path (surefire may hide it behind a manifest-only jar). */
    static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        return cp;
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    String classPath() {
        return classPath;
    }

    Path dir() {
        return dir;
    }

    /** Starts the master and {@code n} workers with one core each and waits until the master listens. */
    void start(int n, Duration timeout) throws IOException, InterruptedException {
        start(n, 1, 1024, timeout);
    }

    /** Starts the master and {@code n} workers of {@code cores} cores and {@code memoryMb} MiB each. */
    void start(int n, int cores, int memoryMb, Duration timeout) throws IOException, InterruptedException {
        masterPort = freePort();
        masterUiPort = freePort();
        launch("master", DAEMON_JVM, List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(masterUiPort)));
        awaitPort(masterPort, timeout);
        for (int i = 0; i < n; i++) {
            Path work = Files.createDirectories(dir.resolve("worker-" + i));
            int port = freePort();
            workerPorts.add(port);
            launch("worker-" + i, DAEMON_JVM, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--port", Integer.toString(port), "--webui-port", Integer.toString(freePort()),
                    "--cores", Integer.toString(cores), "--memory", memoryMb + "m", "--work-dir", work.toString(),
                    masterUrl()));
        }
        awaitLog("master", "Registering worker", n, timeout);
    }

    /** Runs a main class in its own JVM with the test class path; output goes to {@code <dir>/<name>.log}. */
    Process launch(String name, List<String> mainAndArgs) throws IOException {
        return launch(name, List.of(), mainAndArgs);
    }

    private Process launch(String name, List<String> jvmOptions, List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of(ADD_OPENS.split(" ")));
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log(name).toFile()).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.remove("SPARK_CONF_DIR");
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    Path log(String name) {
        return dir.resolve(name + ".log");
    }

    /** The executor JVMs (CoarseGrainedExecutorBackend) that this cluster's workers currently run. */
    List<ProcessHandle> executors() {
        return ProcessHandle.allProcesses().filter(h -> h.isAlive()).filter(h -> {
            String cmd = commandLine(h);
            return cmd.contains("CoarseGrainedExecutorBackend")
                    && workerPorts.stream().anyMatch(port -> cmd.contains("@127.0.0.1:" + port));
        }).toList();
    }

    /** The master's drivers and applications, from its web UI ({@code /json/}). */
    MasterState masterState() throws IOException, InterruptedException {
        return MasterState.fetch(masterUiPort);
    }

    /** Waits for a driver (cluster deploy mode) that is not in {@code known} and returns its id. */
    String awaitNewDriver(java.util.Set<String> known, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Optional<MasterState.Driver> d = masterState().drivers().stream()
                    .filter(x -> !known.contains(x.id())).findFirst();
            if (d.isPresent()) {
                return d.get().id();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no new driver within " + timeout + "; known " + known);
    }

    /** Waits until driver {@code id} has ended and returns its final state (FINISHED, FAILED, ERROR, KILLED). */
    String awaitDriverEnd(String id, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        MasterState state = masterState();
        while (System.nanoTime() < end) {
            state = masterState();
            Optional<MasterState.Driver> d = state.driver(id).filter(MasterState.Driver::ended);
            if (d.isPresent()) {
                return d.get().state();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("driver " + id + " did not end within " + timeout + ": " + state
                + "\n" + driverOutput(id));
    }

    /** The work directory of driver {@code id} ({@code <worker work dir>/<id>}, its cwd), if a worker has one. */
    Optional<Path> driverDir(String id) {
        for (int i = 0; i < workerPorts.size(); i++) {
            Path d = dir.resolve("worker-" + i).resolve(id);
            if (Files.isDirectory(d)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Driver {@code id}'s stdout then stderr (odeflow's console lines, then the log), as far as written. */
    String driverOutput(String id) {
        StringBuilder out = new StringBuilder();
        driverDir(id).ifPresent(d -> {
            for (String name : List.of("stdout", "stderr")) {
                try {
                    out.append(Files.readString(d.resolve(name), StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    out.append("(no ").append(name).append(": ").append(e.getMessage()).append(")\n");
                }
            }
        });
        return out.toString();
    }

    /** The JVM of driver {@code id} (a DriverWrapper whose working directory is the driver's), while alive. */
    Optional<ProcessHandle> driverProcess(String id) {
        Path d;
        try {
            d = driverDir(id).orElse(null);
            d = d == null ? null : d.toRealPath();
        } catch (IOException e) {
            d = null;
        }
        if (d == null) {
            return Optional.empty();
        }
        Path work = d;
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(h -> commandLine(h).contains("org.apache.spark.deploy.worker.DriverWrapper"))
                .filter(h -> work.equals(cwd(h))).findFirst();
    }

    private static Path cwd(ProcessHandle h) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(h.pid()), "cwd"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** How many tasks an executor has started, from the stderr log in its work directory (its cwd). */
    static long tasksRun(ProcessHandle executor) {
        try {
            Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(executor.pid()), "cwd"));
            try (Stream<String> lines = Files.lines(cwd.resolve("stderr"), StandardCharsets.ISO_8859_1)) {
                return lines.filter(l -> l.contains("Running task")).count();
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * A process's full command line from /proc (Linux); ProcessHandle.Info drops the arguments of very long
     * command lines such as an executor's class path.
     */
    private static String commandLine(ProcessHandle h) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return h.info().commandLine().orElse("");
        }
    }

    /**
     * Copies every process log, and each cluster-mode driver's stdout and stderr as {@code <driver id>.log}, to
     * {@code target} (kept for inspection after the temp dir is gone).
     */
    void keepLogs(Path target) {
        try (Stream<Path> s = Files.list(dir)) {
            Files.createDirectories(target);
            for (Path p : s.filter(f -> f.toString().endsWith(".log")).toList()) {
                Files.copy(p, target.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            for (int i = 0; i < workerPorts.size(); i++) {
                try (Stream<Path> drivers = Files.list(dir.resolve("worker-" + i))) {
                    for (Path d : drivers.filter(f -> f.getFileName().toString().startsWith("driver-")).toList()) {
                        Files.writeString(target.resolve(d.getFileName() + ".log"), driverOutput(
                                d.getFileName().toString()));
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("cannot keep cluster logs: " + e.getMessage());
        }
    }

    /** An empty jar to stand in for spark-submit's application resource (the classes come from the class path). */
    Path emptyJar() throws IOException {
        Path jar = dir.resolve("app.jar");
        Manifest m = new Manifest();
        m.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return jar;
    }

    /** Waits until {@code name}'s log holds {@code count} lines containing {@code text}. */
    void awaitLog(String name, String text, int count, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (countLines(name, text) >= count) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("timed out waiting for " + count + " x '" + text + "' in " + log(name)
                + ":\n" + tail(name, 40));
    }

    long countLines(String name, String text) throws IOException {
        Path p = log(name);
        if (!Files.exists(p)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(p, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(text)).count();
        } catch (java.io.UncheckedIOException e) {
            return 0;
        }
    }

    String tail(String name, int lines) {
        try {
            List<String> all = Files.readAllLines(log(name), StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("master did not open port " + port + " within " + timeout);
    }

    static String pathSeparatorJoin(List<String> parts) {
        return String.join(File.pathSeparator, parts);
    }
}
