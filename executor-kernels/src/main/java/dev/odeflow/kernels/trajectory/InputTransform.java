package dev.odeflow.kernels.trajectory;

import java.util.Locale;

/** What the field's network sees of the state y: y itself, or y³ element-wise (ode_demo's {@code y**3}). */
public enum InputTransform {
    IDENTITY("identity") {
        @Override
        double value(double y) {
            return y;
        }

        @Override
        double derivative(double y) {
            return 1;
        }
    },
    CUBE("cube") {
        @Override
        double value(double y) {
            return y * y * y;
        }

        @Override
        double derivative(double y) {
            return 3 * y * y;
        }
    };

    private final String label;

    InputTransform(String label) {
        this.label = label;
    }

    abstract double value(double y);

    abstract double derivative(double y);

    public String label() {
        return label;
    }

    public static InputTransform parse(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (InputTransform t : values()) {
            if (t.label.equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown input transform '" + name + "'; expected identity or cube");
    }
}
