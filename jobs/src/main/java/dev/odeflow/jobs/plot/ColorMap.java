package dev.odeflow.jobs.plot;

/** A perceptually ordered dark-to-bright color map (viridis' anchor colors, linearly interpolated). */
public final class ColorMap {

    private static final int[][] ANCHORS = {
        {68, 1, 84}, {72, 40, 120}, {62, 74, 137}, {49, 104, 142}, {38, 130, 142},
        {31, 158, 137}, {53, 183, 121}, {109, 205, 89}, {180, 222, 44}, {253, 231, 37},
    };

    private ColorMap() {
    }

    /** The RGB color of u in [0, 1] (clamped; NaN is the darkest color). */
    public static int rgb(double u) {
        double v = Double.isNaN(u) ? 0 : Math.max(0, Math.min(1, u));
        double pos = v * (ANCHORS.length - 1);
        int i = Math.min((int) pos, ANCHORS.length - 2);
        double f = pos - i;
        int r = (int) Math.round(ANCHORS[i][0] + f * (ANCHORS[i + 1][0] - ANCHORS[i][0]));
        int g = (int) Math.round(ANCHORS[i][1] + f * (ANCHORS[i + 1][1] - ANCHORS[i][1]));
        int b = (int) Math.round(ANCHORS[i][2] + f * (ANCHORS[i + 1][2] - ANCHORS[i][2]));
        return (r << 16) | (g << 8) | b;
    }
}
