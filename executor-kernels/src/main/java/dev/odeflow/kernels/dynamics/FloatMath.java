package dev.odeflow.kernels.dynamics;

/**
 * e^x and tanh in float from additions, multiplications and fused multiply-adds only, like {@link Exp} and
 * {@link Activation#tanh} in double: their values are fixed by IEEE 754, and {@code FloatVectorGemm}
 * computes the same bits lane-wise.
 *
 * <p>exp: Cody–Waite reduction x = k·ln 2 + r (cephes' split of ln 2), the degree-7 Taylor polynomial of e^r
 * by Horner's rule in FMAs (truncation below 6e-9 relative), an exact scaling by 2^k built from bits; about
 * 1 ulp. Arguments are clamped to [{@value #MIN_ARG}, {@value #MAX_ARG}] (no subnormals, no infinity).
 * tanh: 1 − 2/(e^{2x} + 1), the Taylor series below {@value #TANH_SMALL}; accurate to a few ulps of 1.
 * softplus: max(x, 0) + log1p(e^{−|x|}), the logarithm as cephes' logf polynomial on [√½ − 1, √2 − 1] (the
 * argument 1 + e^{−|x|} lies in (1, 2], so the reduction is one halving), its derivative the sigmoid
 * 1/(1 + e^{−|x|}) (times e^{−|x|} for x &lt; 0); a few ulps above x = −87, where e^{−|x|} saturates.
 */
final class FloatMath {

    static final float MIN_ARG = -87f;
    static final float MAX_ARG = 88f;
    static final float INV_LN2 = 1.44269504f;
    /** ln 2 split so that k·LN2_HI is exact for |k| ≤ 2^14. */
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds to an integer, which then sits in the low bits. */
    static final float SHIFTER = 0x1.8p23f;
    static final int SHIFTER_BITS = Float.floatToRawIntBits(SHIFTER);
    /** 1/7!, 1/6!, …, 1/1!, 1/0! (Horner order). */
    static final float[] COEFFS = {
        1f / 5040, 1f / 720, 1f / 120, 1f / 24, 1f / 6, 0.5f, 1f, 1f};
    /** Below this |x|, tanh is its Taylor series (1 − 2/(e^{2x} + 1) would cancel). */
    static final float TANH_SMALL = 0.25f;
    /** Taylor coefficients of tanh(x)/x in x², highest first: {@link Activation}'s, rounded to float. */
    static final float[] TANH_SERIES = tanhSeries();
    /** √2 − 1: above it, log1p(e) is taken as ln 2 + log1p((e − 1)/2). */
    static final float SQRT2_M1 = 0.41421356f;
    /** cephes' logf: log1p(f) = f − f²/2 + f³·P(f) on [√½ − 1, √2 − 1], P highest first. */
    static final float[] LOG_P = {7.0376836292e-2f, -1.1514610310e-1f, 1.1676998740e-1f, -1.2420140846e-1f,
        1.4249322787e-1f, -1.6668057665e-1f, 2.0000714765e-1f, -2.4999993993e-1f, 3.3333331174e-1f};

    private FloatMath() {
    }

    static float exp(float x) {
        float u = Math.min(Math.max(x, MIN_ARG), MAX_ARG);
        float t = Math.fma(u, INV_LN2, SHIFTER);
        float k = t - SHIFTER;
        float r = Math.fma(-k, LN2_HI, u);
        r = Math.fma(-k, LN2_LO, r);
        float p = COEFFS[0];
        for (int i = 1; i < COEFFS.length; i++) {
            p = Math.fma(p, r, COEFFS[i]);
        }
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(t) - SHIFTER_BITS + 127) << 23);
    }

    static float tanh(float x) {
        if (Math.abs(x) < TANH_SMALL) {
            float x2 = x * x;
            float p = TANH_SERIES[0];
            for (int i = 1; i < TANH_SERIES.length; i++) {
                p = Math.fma(p, x2, TANH_SERIES[i]);
            }
            return p * x;
        }
        return 1 - 2 / (exp(2 * x) + 1);
    }

    /** softplus(x) = log(1 + e^x), from e = e^{−|x|}. */
    static float softplus(float x, float e) {
        boolean half = e > SQRT2_M1;
        float f = half ? (e - 1) * 0.5f : e;
        float k = half ? 1 : 0;
        float z = f * f;
        float p = LOG_P[0];
        for (int i = 1; i < LOG_P.length; i++) {
            p = Math.fma(p, f, LOG_P[i]);
        }
        float y = p * f * z;
        y = Math.fma(k, LN2_LO, y);
        y = Math.fma(-0.5f, z, y);
        float l = Math.fma(k, LN2_HI, f + y);
        return Math.max(x, 0) + l;
    }

    /** The sigmoid 1/(1 + e^{−x}), from e = e^{−|x|}. */
    static float sigmoid(float x, float e) {
        float r = 1 / (1 + e);
        return x >= 0 ? r : e * r;
    }

    private static float[] tanhSeries() {
        float[] s = new float[Activation.TANH_SERIES.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) Activation.TANH_SERIES[i];
        }
        return s;
    }
}
