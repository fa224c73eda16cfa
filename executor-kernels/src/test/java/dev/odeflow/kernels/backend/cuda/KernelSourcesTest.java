package dev.odeflow.kernels.backend.cuda;

import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.LayerKind;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host code and the CUDA sources agree (entry points, codes), and the build packaged the compiled
 * kernels where nvcc was present. GPU-free.
 */
class KernelSourcesTest {

    private static final Path SOURCES = Path.of("src/main/cuda");

    private static String sources() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(SOURCES), "CUDA sources not found from " + Path.of("").toAbsolutePath()
                + " (run from the executor-kernels module)");
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                all.append(Files.readString(p, StandardCharsets.UTF_8)).append('\n');
            }
        }
        return all.toString();
    }

    @Test
    void entryPointsInTheSourcesAreTheOnesTheHostLaunches() throws IOException {
        Matcher m = Pattern.compile("extern \"C\" __global__ void (\\w+)\\(").matcher(sources());
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        assertEquals(KernelImage.ENTRY_POINTS.stream().sorted().toList(), found.stream().sorted().toList());
    }

    @Test
    void layerAndActivationCodesMatchTheDefines() throws IOException {
        String src = sources();
        for (Activation a : Activation.values()) {
            assertTrue(src.contains("#define ODEFLOW_ACT_" + a.name() + " " + KernelCodes.activation(a) + "\n"),
                    "activation " + a + " code " + KernelCodes.activation(a));
        }
        for (LayerKind k : LayerKind.values()) {
            assertTrue(src.contains("#define ODEFLOW_LAYER_" + k.name().toUpperCase(Locale.ROOT) + " "
                    + KernelCodes.layer(k) + "\n"), "layer " + k + " code " + KernelCodes.layer(k));
        }
    }

    @Test
    void compiledKernelsArePackagedWhenBuiltWithNvcc() {
        Assumptions.assumeTrue(Boolean.getBoolean("odeflow.cuda.kernels.built"),
                "built without the cuda profile (no nvcc): no kernels packaged, CUDA reports 'kernels not built'");
        String ptx = new String(KernelImage.resource(KernelImage.PTX_RESOURCE).orElseThrow(
                () -> new AssertionError(KernelImage.PTX_RESOURCE + " missing")), StandardCharsets.US_ASCII);
        for (String entry : KernelImage.ENTRY_POINTS) {
            assertTrue(ptx.contains(".visible .entry " + entry + "("), "PTX lacks entry point " + entry);
        }
        assertTrue(ptx.contains(".target sm_80"), "PTX must target compute_80 so any sm_80+ GPU can JIT it");
        Matcher v = Pattern.compile("\\.version (\\d+)\\.(\\d+)").matcher(ptx);
        assertTrue(v.find(), "PTX has no .version");
        assertTrue(Integer.parseInt(v.group(1)) <= 9, "PTX ISA " + v.group() + " needs a driver newer than CUDA 13.0");
        byte[] fat = KernelImage.resource(KernelImage.FATBIN_RESOURCE).orElseThrow(
                () -> new AssertionError(KernelImage.FATBIN_RESOURCE + " missing"));
        assertTrue(fat.length > 1000, "fat binary of " + fat.length + " bytes");
        assertTrue(KernelImage.load().isPresent());
    }

    @Test
    void withoutCompiledKernelsTheCudaDeviceSaysKernelsNotBuilt() {
        Assumptions.assumeTrue(KernelImage.load().isEmpty(), "kernels are packaged in this build");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> CudaDevice.get(0));
        assertTrue(e.getMessage().contains("kernels not built"), e.getMessage());
    }

    @Test
    void ptxHandedToTheDriverIsNulTerminated() {
        byte[] t = KernelImage.nulTerminated(new byte[] {'a', 'b'});
        assertEquals(3, t.length);
        assertEquals(0, t[2]);
        byte[] already = {'a', 0};
        org.junit.jupiter.api.Assertions.assertSame(already, KernelImage.nulTerminated(already));
    }
}
