package dev.odeflow.driver.conf;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code model.hidden}: the hidden widths of each block's dynamics network, each either a number of units or a
 * multiple of the data dimension d written {@code <k>d}, resolved once the data is read. FFJORD's tabular
 * {@code --hdim_factor 20 --nhidden 2} is {@code 20d,20d}: 860,860 for MINIBOONE's 43 columns.
 *
 * @param widths the layers, first to last
 */
public record HiddenWidths(List<Width> widths) implements Serializable {

    /**
     * One hidden layer's width.
     *
     * @param units  units, or the factor k of k·d
     * @param perDim whether the width is {@code units} × the data dimension
     */
    public record Width(int units, boolean perDim) implements Serializable {

        public Width {
            if (units < 1) {
                throw new IllegalArgumentException("hidden widths must be >= 1, got " + units);
            }
        }

        /** The width at data dimension {@code dim}; an int overflow is an ArithmeticException. */
        public int at(int dim) {
            return perDim ? Math.multiplyExact(units, dim) : units;
        }

        @Override
        public String toString() {
            return perDim ? units + "d" : Integer.toString(units);
        }
    }

    public HiddenWidths {
        if (widths == null || widths.isEmpty()) {
            throw new IllegalArgumentException("need at least one hidden width, each >= 1");
        }
        widths = List.copyOf(widths);
    }

    /** Fixed widths. */
    public static HiddenWidths of(int... units) {
        List<Width> w = new ArrayList<>();
        for (int u : units) {
            w.add(new Width(u, false));
        }
        return new HiddenWidths(w);
    }

    /**
     * Parses the items of {@code model.hidden}: each an integer or an integer followed by {@code d}.
     *
     * @throws NumberFormatException for an item that is neither
     */
    public static HiddenWidths parse(List<String> items) {
        List<Width> w = new ArrayList<>();
        for (String item : items) {
            String t = item.strip().toLowerCase(Locale.ROOT);
            boolean perDim = t.endsWith("d");
            w.add(new Width(Integer.parseInt(perDim ? t.substring(0, t.length() - 1).strip() : t), perDim));
        }
        return new HiddenWidths(w);
    }

    /** Whether any width depends on the data dimension. */
    public boolean dependsOnDim() {
        return widths.stream().anyMatch(Width::perDim);
    }

    /** The widths at data dimension {@code dim}; a width beyond int range is an IllegalArgumentException. */
    public int[] at(int dim) {
        int[] out = new int[widths.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = widths.get(i).at(dim);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("hidden width " + widths.get(i) + " at data dimension " + dim
                        + " is beyond " + Integer.MAX_VALUE + " units");
            }
        }
        return out;
    }

    /** As written: {@code [64, 64, 64]}, {@code [20d, 20d]}. */
    @Override
    public String toString() {
        return widths.toString();
    }
}
