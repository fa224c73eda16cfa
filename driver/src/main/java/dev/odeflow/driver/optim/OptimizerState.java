package dev.odeflow.driver.optim;

import java.io.Serializable;
import java.util.Arrays;

/**
 * An optimizer's state after {@code step} updates: named per-parameter slots (Adam: m and v; SGD: the momentum
 * buffer). Immutable: arrays are copied in and out.
 *
 * @param optimizer the optimizer's name (adam, sgd), checked when a checkpoint is resumed
 * @param step      updates applied so far
 * @param slots     per-parameter state vectors
 */
public record OptimizerState(String optimizer, long step, double[][] slots) implements Serializable {

    public OptimizerState {
        if (optimizer == null || slots == null || step < 0) {
            throw new IllegalArgumentException("optimizer state needs a name, slots and step >= 0");
        }
        double[][] copy = new double[slots.length][];
        for (int i = 0; i < slots.length; i++) {
            copy[i] = slots[i].clone();
        }
        slots = copy;
    }

    @Override
    public double[][] slots() {
        double[][] copy = new double[slots.length][];
        for (int i = 0; i < slots.length; i++) {
            copy[i] = slots[i].clone();
        }
        return copy;
    }

    /** A copy of slot i. */
    public double[] slot(int i) {
        return slots[i].clone();
    }

    public int slotCount() {
        return slots.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptimizerState s && s.optimizer.equals(optimizer) && s.step == step
                && Arrays.deepEquals(s.slots, slots);
    }

    @Override
    public int hashCode() {
        return optimizer.hashCode() * 31 + Long.hashCode(step) + Arrays.deepHashCode(slots);
    }

    @Override
    public String toString() {
        return "OptimizerState(" + optimizer + ", step " + step + ", " + slots.length + " slots)";
    }
}
