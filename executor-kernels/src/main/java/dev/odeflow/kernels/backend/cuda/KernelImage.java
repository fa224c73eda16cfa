package dev.odeflow.kernels.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The compiled kernels packaged as class-path resources by the build's {@code cuda} profile: a fat binary
 * (sm_90 cubin plus compute_80 PTX) preferred, and the PTX alone. Both are absent when the module was built
 * without nvcc.
 */
public final class KernelImage {

    /** sm_90 cubin + compute_80 PTX; the driver picks the cubin on sm_90 and JIT-compiles the PTX elsewhere. */
    public static final String FATBIN_RESOURCE = "/cuda/odeflow_kernels.fatbin";
    /** compute_80 PTX text. */
    public static final String PTX_RESOURCE = "/cuda/odeflow_kernels.ptx";
    /** Every extern "C" entry point the host code launches. */
    public static final List<String> ENTRY_POINTS =
            List.of("cnf_forward", "cnf_vjp", "reduce_partials", "rk_combine", "rk_error_norm_partial");

    /** The image to load: the fat binary if packaged, else the NUL-terminated PTX; empty if neither. */
    public static Optional<byte[]> load() {
        Optional<byte[]> fat = resource(FATBIN_RESOURCE);
        if (fat.isPresent()) {
            return fat;
        }
        return resource(PTX_RESOURCE).map(KernelImage::nulTerminated);
    }

    /** A packaged resource's bytes, empty if it is not on the class path. */
    public static Optional<byte[]> resource(String name) {
        try (InputStream in = KernelImage.class.getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel resource " + name, e);
        }
    }

    static byte[] nulTerminated(byte[] text) {
        if (text.length > 0 && text[text.length - 1] == 0) {
            return text;
        }
        byte[] out = new byte[text.length + 1];
        System.arraycopy(text, 0, out, 0, text.length);
        return out;
    }

    private KernelImage() {
    }
}
