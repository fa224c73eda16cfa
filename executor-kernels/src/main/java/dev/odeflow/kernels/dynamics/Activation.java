package dev.odeflow.kernels.dynamics;

import java.util.Locale;

/**
 * Pointwise activations with the first and second derivatives that forward tangents and
 * reverse-over-forward (the gradient of the trace) need.
 */
public enum Activation {
    TANH {
        @Override
        public double value(double x) {
            return Math.tanh(x);
        }

        @Override
        public double d1(double x) {
            double a = Math.tanh(x);
            return 1 - a * a;
        }

        @Override
        public double d2(double x) {
            double a = Math.tanh(x);
            return -2 * a * (1 - a * a);
        }
    },
    SOFTPLUS {
        @Override
        public double value(double x) {
            return x > 20 ? x : Math.log1p(Math.exp(x));
        }

        @Override
        public double d1(double x) {
            return sigmoid(x);
        }

        @Override
        public double d2(double x) {
            double s = sigmoid(x);
            return s * (1 - s);
        }
    },
    ELU {
        @Override
        public double value(double x) {
            return x > 0 ? x : Math.expm1(x);
        }

        @Override
        public double d1(double x) {
            return x > 0 ? 1 : Math.exp(x);
        }

        @Override
        public double d2(double x) {
            return x > 0 ? 0 : Math.exp(x);
        }
    },
    SWISH {
        @Override
        public double value(double x) {
            return x * sigmoid(x);
        }

        @Override
        public double d1(double x) {
            double s = sigmoid(x);
            return s + x * s * (1 - s);
        }

        @Override
        public double d2(double x) {
            double s = sigmoid(x);
            double ds = s * (1 - s);
            return 2 * ds + x * ds * (1 - 2 * s);
        }
    };

    public abstract double value(double x);

    public abstract double d1(double x);

    public abstract double d2(double x);

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    public static Activation parse(String name) {
        for (Activation a : values()) {
            if (a.label().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; expected tanh, softplus, elu or swish");
    }
}
