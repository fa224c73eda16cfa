package dev.odeflow.jobs.train;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Job-file keys that the jobs module reads in addition to the driver's training keys. */
public enum JobsKey {
    WEIGHTS_DTYPE("weights.dtype", "F64", "Element type of weights.safetensors: F32 or F64"),
    PLOTS("plots", "true", "For 2-D data, write density.png and samples.png (a CNF) or phase.png and trajectories.png (a trajectory"
            + " fit) next to the model"),
    PLOTS_SAMPLES("plots.samples", "20000", "Samples drawn for samples.png"),
    PLOTS_GRID("plots.grid", "100", "Cells per side of the pictures' grid");

    private final String key;
    private final String defaultValue;
    private final String doc;

    JobsKey(String key, String defaultValue, String doc) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.doc = doc;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    public static Set<String> names() {
        return Arrays.stream(values()).map(JobsKey::key).collect(Collectors.toUnmodifiableSet());
    }
}
