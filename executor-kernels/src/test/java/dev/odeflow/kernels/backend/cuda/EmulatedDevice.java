package dev.odeflow.kernels.backend.cuda;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link KernelDevice} that runs the real kernel sources (src/main/cuda) on CPU threads through the host
 * emulator (src/main/cuda/host_emulation, built here with g++): buffers live in host memory, each launch is
 * one emulator process. Lets the GPU-free tests check the kernels' arithmetic and the host code's launch
 * arguments against the CPU reference. Not a performance model.
 */
final class EmulatedDevice implements KernelDevice {

    private static final Path SOURCE = Path.of("src/main/cuda/host_emulation/emulator.cpp");
    private static final Path BINARY = Path.of("target/odeflow-emulator");
    private static final String SKIP = "kernel emulator unavailable: needs g++ (C++20) and the CUDA sources under "
            + "src/main/cuda (run from the executor-kernels module)";
    private static volatile Path built;

    private final AllocationTracker tracker = new AllocationTracker();

    /** The emulator binary, built once per JVM; null with {@link #unavailableReason()} when no g++. */
    static synchronized Path emulator() {
        if (built != null) {
            return built;
        }
        if (!Files.isRegularFile(SOURCE) || !compilerPresent()) {
            return null;
        }
        try {
            Files.createDirectories(BINARY.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(BINARY.toAbsolutePath().getParent(), "odeflow-emulator", ".tmp");
            Process p = new ProcessBuilder("g++", "-std=c++20", "-O2", "-pthread", "-DODEFLOW_HOST_EMULATION",
                    SOURCE.toString(), "-o", tmp.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                Files.deleteIfExists(tmp);
                throw new AssertionError("the kernel sources do not compile for host emulation:\n" + log);
            }
            Files.move(tmp, BINARY, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            built = BINARY;
            return built;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the kernel emulator", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the kernel emulator", e);
        }
    }

    static String unavailableReason() {
        return SKIP;
    }

    private static boolean compilerPresent() {
        try {
            Process p = new ProcessBuilder("g++", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        if (bytes > Integer.MAX_VALUE - 64) {
            throw new IllegalStateException("emulated device out of memory: " + bytes + " bytes requested");
        }
        return new HostBuffer(bytes);
    }

    @Override
    public AllocationTracker tracker() {
        return tracker;
    }

    /** Every emulated launch has finished when {@link #launch} returns. */
    @Override
    public void synchronize() {
    }

    @Override
    public int sharedPerBlockOptIn() {
        return 227 * 1024;
    }

    @Override
    public void launch(String entry, LaunchGeometry g, Object... args) {
        Path exe = emulator();
        if (exe == null) {
            throw new IllegalStateException(SKIP);
        }
        List<HostBuffer> buffers = new ArrayList<>();
        Path file = null;
        try {
            file = Files.createTempFile("odeflow-launch", ".bin");
            long size = 64 + entry.length();
            for (Object a : args) {
                size += 9 + (a instanceof HostBuffer b ? b.data.capacity() : 0);
            }
            ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
            byte[] name = entry.getBytes(StandardCharsets.US_ASCII);
            out.putInt(name.length).put(name).putInt(g.blocks()).putInt(g.threads()).putInt(g.sharedBytes())
                    .putInt(args.length);
            for (Object a : args) {
                if (a == null) {
                    out.put((byte) 'n');
                } else if (a instanceof Integer v) {
                    out.put((byte) 'i').putInt(v);
                } else if (a instanceof Long v) {
                    out.put((byte) 'l').putLong(v);
                } else if (a instanceof Float v) {
                    out.put((byte) 'f').putFloat(v);
                } else if (a instanceof Double v) {
                    out.put((byte) 'd').putDouble(v);
                } else if (a instanceof HostBuffer b) {
                    b.check();
                    out.put((byte) 'b').putLong(b.data.capacity()).put(b.data.duplicate().clear());
                    buffers.add(b);
                } else {
                    throw new IllegalArgumentException(entry + ": unsupported argument " + a.getClass());
                }
            }
            out.flip();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (out.hasRemaining()) {
                    ch.write(out);
                }
            }
            Process p = new ProcessBuilder(exe.toAbsolutePath().toString(), file.toString()).redirectErrorStream(true)
                    .start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(entry + ": emulator timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(entry + ": emulator failed (exit " + p.exitValue() + "): " + log);
            }
            try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
                for (HostBuffer b : buffers) {
                    long len = Long.reverseBytes(data.readLong());
                    if (len != b.data.capacity()) {
                        throw new IllegalStateException(entry + ": emulator returned " + len + " bytes for a buffer of "
                                + b.data.capacity());
                    }
                    byte[] bytes = new byte[(int) len];
                    data.readFully(bytes);
                    b.data.clear();
                    b.data.put(bytes);
                    b.data.clear();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(entry + ": emulated launch failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(entry + ": interrupted", e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    /** Host memory standing in for a device allocation. */
    private final class HostBuffer implements DeviceBuffer {
        final ByteBuffer data;
        private boolean closed;

        HostBuffer(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("device allocation of " + bytes + " bytes");
            }
            data = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            tracker.allocated(bytes);
        }

        void check() {
            if (closed) {
                throw new IllegalStateException("device buffer used after close");
            }
        }

        private ByteBuffer fits(long bytes) {
            check();
            if (bytes > data.capacity()) {
                throw new IllegalArgumentException(bytes + " bytes exceed the device buffer of " + data.capacity());
            }
            return data.duplicate().order(ByteOrder.LITTLE_ENDIAN).clear();
        }

        @Override
        public long bytes() {
            return data.capacity();
        }

        @Override
        public void upload(float[] src) {
            fits(4L * src.length).asFloatBuffer().put(src);
        }

        @Override
        public void upload(double[] src) {
            fits(8L * src.length).asDoubleBuffer().put(src);
        }

        @Override
        public void upload(int[] src) {
            fits(4L * src.length).asIntBuffer().put(src);
        }

        @Override
        public void download(float[] dst) {
            fits(4L * dst.length).asFloatBuffer().get(dst);
        }

        @Override
        public void download(double[] dst) {
            fits(8L * dst.length).asDoubleBuffer().get(dst);
        }

        @Override
        public void poison() {
            ByteBuffer b = fits(0);
            while (b.remaining() >= 4) {
                b.putInt(NAN_BITS);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                tracker.freed(data.capacity());
            }
        }
    }
}
