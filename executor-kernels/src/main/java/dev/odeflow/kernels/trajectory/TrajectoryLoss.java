package dev.odeflow.kernels.trajectory;

import java.util.Locale;

/** The per-value loss of a predicted against an observed value: |e| (ode_demo) or e². */
public enum TrajectoryLoss {
    L1("l1") {
        @Override
        public double value(double error) {
            return Math.abs(error);
        }

        @Override
        public double derivative(double error) {
            return Math.signum(error);
        }
    },
    L2("l2") {
        @Override
        public double value(double error) {
            return error * error;
        }

        @Override
        public double derivative(double error) {
            return 2 * error;
        }
    };

    private final String label;

    TrajectoryLoss(String label) {
        this.label = label;
    }

    /** The loss of one error e = predicted − observed. */
    public abstract double value(double error);

    /** Its derivative with respect to the prediction. */
    public abstract double derivative(double error);

    public String label() {
        return label;
    }

    public static TrajectoryLoss parse(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (TrajectoryLoss l : values()) {
            if (l.label.equals(key)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown trajectory loss '" + name + "'; expected l1 or l2");
    }
}
