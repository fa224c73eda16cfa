package dev.odeflow.kernels.solver;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The explicit Runge–Kutta methods, each a validated {@link ButcherTableau} run by {@link RungeKutta}. */
public enum Method {
    EULER(new ButcherTableau("euler", new double[] {0}, new double[][] {{}}, new double[] {1}, null, 1, 0, false)),

    MIDPOINT(new ButcherTableau("midpoint", new double[] {0, 0.5}, new double[][] {{}, {0.5}},
            new double[] {0, 1}, null, 2, 0, false)),

    RK4(new ButcherTableau("rk4", new double[] {0, 0.5, 0.5, 1},
            new double[][] {{}, {0.5}, {0, 0.5}, {0, 0, 1}},
            new double[] {1 / 6.0, 1 / 3.0, 1 / 3.0, 1 / 6.0}, null, 4, 0, false)),

    BOSH3(new ButcherTableau("bosh3", new double[] {0, 0.5, 0.75, 1},
            new double[][] {{}, {0.5}, {0, 0.75}, {2 / 9.0, 1 / 3.0, 4 / 9.0}},
            new double[] {2 / 9.0, 1 / 3.0, 4 / 9.0, 0},
            new double[] {2 / 9.0 - 7 / 24.0, 1 / 3.0 - 1 / 4.0, 4 / 9.0 - 1 / 3.0, -1 / 8.0}, 3, 2, true)),

    DOPRI5(new ButcherTableau("dopri5", new double[] {0, 1 / 5.0, 3 / 10.0, 4 / 5.0, 8 / 9.0, 1, 1},
            new double[][] {
                {},
                {1 / 5.0},
                {3 / 40.0, 9 / 40.0},
                {44 / 45.0, -56 / 15.0, 32 / 9.0},
                {19372 / 6561.0, -25360 / 2187.0, 64448 / 6561.0, -212 / 729.0},
                {9017 / 3168.0, -355 / 33.0, 46732 / 5247.0, 49 / 176.0, -5103 / 18656.0},
                {35 / 384.0, 0, 500 / 1113.0, 125 / 192.0, -2187 / 6784.0, 11 / 84.0},
            },
            new double[] {35 / 384.0, 0, 500 / 1113.0, 125 / 192.0, -2187 / 6784.0, 11 / 84.0, 0},
            new double[] {
                35 / 384.0 - 5179 / 57600.0, 0, 500 / 1113.0 - 7571 / 16695.0, 125 / 192.0 - 393 / 640.0,
                -2187 / 6784.0 + 92097 / 339200.0, 11 / 84.0 - 187 / 2100.0, -1 / 40.0,
            }, 5, 4, true)),

    TSIT5(new ButcherTableau("tsit5", new double[] {0, 0.161, 0.327, 0.9, 0.9800255409045097, 1, 1},
            new double[][] {
                {},
                {0.161},
                {-0.008480655492356989, 0.335480655492357},
                {2.897153057105493, -6.359448489975075, 4.3622954328695815},
                {5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525},
                {5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401,
                    -0.028269050394068383},
                {0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081,
                    2.324710524099774},
            },
            new double[] {0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081,
                2.324710524099774, 0},
            new double[] {-0.00178001105222577714, -0.0008164344596567469, 0.007880878010261995,
                -0.1447110071732629, 0.5823571654525552, -0.45808210592918697, 0.015151515151515152},
            5, 4, true));

    /** dopri5's midpoint weights for its 4th-order dense output (Shampine 1986, as in torchdiffeq). */
    static final double[] DOPRI5_MID = {
        6025192743.0 / 30085553152.0 / 2, 0, 51252292925.0 / 65400821598.0 / 2,
        -2691868925.0 / 45128329728.0 / 2, 187940372067.0 / 1594534317056.0 / 2,
        -1776094331.0 / 19743644256.0 / 2, 11237099.0 / 235043384.0 / 2,
    };

    private final ButcherTableau tableau;

    Method(ButcherTableau tableau) {
        this.tableau = tableau;
    }

    public ButcherTableau tableau() {
        return tableau;
    }

    /** The name users type: euler, midpoint, rk4, bosh3, dopri5, tsit5. */
    public String label() {
        return tableau.name();
    }

    /** Parses a method name, case-insensitively; an unknown name lists the known ones. */
    public static Method parse(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("solver method is missing; expected one of " + names());
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (Method m : values()) {
            if (m.label().equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown solver method '" + name + "'; expected one of " + names());
    }

    private static String names() {
        return Arrays.stream(values()).map(Method::label).collect(Collectors.joining(", "));
    }
}
