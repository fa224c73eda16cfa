package dev.odeflow.kernels.dynamics;

/**
 * e^x from additions, multiplications and fused multiply-adds only, so that its value is fixed by IEEE 754
 * and does not depend on the JIT (interpreter, C1, C2), on the CPU or on an intrinsic's implementation.
 * {@code VectorGemm} runs the same operations lane-wise; the two agree bit for bit.
 *
 * <p>Cody–Waite reduction x = k·ln 2 + r with |r| ≤ ln 2 / 2, the degree-13 Taylor polynomial of e^r by
 * Horner's rule in FMAs (truncation below 5e-18 relative), and an exact scaling by 2^k built from bits.
 * Accurate to about 2 ulp. Arguments are clamped to [{@value #MIN_ARG}, {@value #MAX_ARG}]: below that it
 * returns e^{−708} ≈ 3e−308 instead of a subnormal or zero, above it e^{709} ≈ 8e307 instead of infinity
 * (callers here only need those ends to saturate). NaN gives NaN.
 */
final class Exp {

    static final double MIN_ARG = -708;
    static final double MAX_ARG = 709;
    static final double INV_LN2 = 1.4426950408889634;
    /** ln 2 split so that k·LN2_HI is exact for |k| ≤ 1100 (fdlibm's constants). */
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1.5·2^52: adding it rounds to an integer, which then sits in the low bits. */
    static final double SHIFTER = 0x1.8p52;
    static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    /** 1/13!, 1/12!, …, 1/1!, 1/0! (Horner order). */
    static final double[] COEFFS = {
        1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0,
        1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0};

    private Exp() {
    }

    static double exp(double x) {
        double u = Math.min(Math.max(x, MIN_ARG), MAX_ARG);
        double t = Math.fma(u, INV_LN2, SHIFTER);
        double k = t - SHIFTER;
        double r = Math.fma(-k, LN2_HI, u);
        r = Math.fma(-k, LN2_LO, r);
        double p = COEFFS[0];
        for (int i = 1; i < COEFFS.length; i++) {
            p = Math.fma(p, r, COEFFS[i]);
        }
        return p * Double.longBitsToDouble((Double.doubleToRawLongBits(t) - SHIFTER_BITS + 1023) << 52);
    }
}
