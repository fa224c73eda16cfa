package dev.odeflow.driver.conf;

import java.util.Locale;

/** The toy data sets {@code data = toy:<name>} names (FFJORD's toy_data.py). */
public enum ToySet {
    EIGHT_GAUSSIANS("8gaussians"), PINWHEEL("pinwheel"), TWO_SPIRALS("2spirals"), CHECKERBOARD("checkerboard"),
    MOONS("moons"), CIRCLES("circles"), RINGS("rings"), SWISSROLL("swissroll");

    private final String label;

    ToySet(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static ToySet parse(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (ToySet k : values()) {
            if (k.label.equals(key)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown toy data set '" + name + "'; expected 8gaussians, pinwheel, "
                + "2spirals, checkerboard, moons, circles, rings or swissroll");
    }
}
