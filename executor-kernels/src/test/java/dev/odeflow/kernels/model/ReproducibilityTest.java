package dev.odeflow.kernels.model;

import dev.odeflow.kernels.dynamics.Gemm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reproducibility by construction: one batch's loss and gradient are the same bits whatever computes them —
 * this warm test JVM (C2-compiled kernels), a cold child JVM with 128-bit or 256-bit vectors
 * ({@code -XX:MaxVectorSize=16/32}; the test JVM itself has this machine's width, 512 bits on AVX-512), a
 * child limited to C1, one running everything in the interpreter ({@code -Xint}, small batches), the scalar
 * kernels ({@code -Dodeflow.scalar=true}) and a JVM without the vector module at all (a plain
 * {@code java -jar}); and with 1, 2 or 3 threads per batch.
 */
class ReproducibilityTest {

    private static final Map<String, long[]> LARGE = new LinkedHashMap<>();
    private static final Map<String, long[]> SMALL = new LinkedHashMap<>();

    @BeforeAll
    static void computeWarm() {
        assertTrue(Gemm.vectorized(), "the test JVM must run the SIMD kernels");
        // Run the cases until the kernels are compiled by C2, then keep the last result.
        for (int rep = 0; rep < 6; rep++) {
            for (ReproducibilityProbe.Case c : ReproducibilityProbe.largeCases()) {
                LARGE.put(c.name(), c.bits(1));
            }
            for (ReproducibilityProbe.Case c : ReproducibilityProbe.smallCases()) {
                SMALL.put(c.name(), c.bits(1));
            }
        }
    }

    static Stream<Arguments> childJvms() {
        String vec = "--add-modules=jdk.incubator.vector";
        return Stream.of(
                Arguments.of("128-bit vectors", List.of(vec, "-XX:MaxVectorSize=16"), "simd-128", "large"),
                Arguments.of("256-bit vectors", List.of(vec, "-XX:MaxVectorSize=32"), "simd-256", "large"),
                Arguments.of("C1 only", List.of(vec, "-XX:TieredStopAtLevel=1"), Gemm.kernels(), "small"),
                Arguments.of("scalar kernels", List.of(vec, "-Dodeflow.scalar=true"), "scalar", "large"),
                Arguments.of("no vector module", List.of(), "scalar", "small"),
                Arguments.of("interpreter", List.of(vec, "-Xint"), Gemm.kernels(), "small"),
                Arguments.of("interpreter, 128-bit vectors", List.of(vec, "-Xint", "-XX:MaxVectorSize=16"), "simd-128",
                        "small"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("childJvms")
    void childJvmComputesTheSameBits(String label, List<String> flags, String kernels, String which)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xss4m");
        cmd.addAll(flags);
        cmd.add("-cp");
        cmd.add(testClassPath());
        cmd.add(ReproducibilityProbe.class.getName());
        cmd.add(which);
        Path err = Files.createTempFile("odeflow-repro", ".stderr");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail(label + ": child JVM did not finish");
            }
            assertEquals(0, p.exitValue(), label + ": child JVM failed:\n" + out + Files.readString(err));
            compare(label, kernels, which, out);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static void compare(String label, String kernels, String which, String out) {
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertEquals("kernels " + kernels, lines.get(0), label + ": the child must run the kernels it is meant to test");
        Map<String, long[]> expected = which.equals("large") ? LARGE : SMALL;
        List<ReproducibilityProbe.Case> cases = which.equals("large") ? ReproducibilityProbe.largeCases()
                : ReproducibilityProbe.smallCases();
        assertEquals(cases.size() + 1, lines.size(), label + ": output\n" + out);
        for (int i = 0; i < cases.size(); i++) {
            ReproducibilityProbe.Case c = cases.get(i);
            assertSameBits(label + ", " + c.name(), expected.get(c.name()), lines.get(i + 1));
        }
    }

    @Test
    void threadCountDoesNotChangeTheBits() {
        for (ReproducibilityProbe.Case c : ReproducibilityProbe.largeCases()) {
            for (int threads : new int[] {2, 3}) {
                assertSameBits(c.name() + ", " + threads + " threads", LARGE.get(c.name()),
                        ReproducibilityProbe.line(c, c.bits(threads)));
            }
        }
    }

    private static void assertSameBits(String what, long[] expected, String line) {
        String[] parts = line.split(" ");
        int first = parts.length - expected.length;
        assertTrue(first >= 1, what + ": short line " + line);
        for (int i = 0; i < expected.length; i++) {
            long got = Long.parseUnsignedLong(parts[first + i], 16);
            if (got != expected[i]) {
                fail(what + ": " + (i == 0 ? "loss" : "gradient entry " + (i - 1)) + " differs: "
                        + Double.longBitsToDouble(expected[i]) + " here, " + Double.longBitsToDouble(got) + " there");
            }
        }
    }

    /** The test JVM's real class path (Surefire may hide it behind a manifest-only jar). */
    private static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
    }
}
