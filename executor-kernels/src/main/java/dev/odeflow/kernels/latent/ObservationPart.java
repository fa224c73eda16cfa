package dev.odeflow.kernels.latent;

/** Which observations of a series an evaluation covers: the encoder's context, the ones after it, or all. */
public enum ObservationPart {
    /** Every observation. */
    ALL("rmse"),
    /** The observations the encoder reads: their error is the interpolation (reconstruction) error. */
    CONTEXT("interp_rmse"),
    /** The observations after the context: their error is the extrapolation error. */
    FORECAST("extrap_rmse");

    private final String metric;

    ObservationPart(String metric) {
        this.metric = metric;
    }

    /** The metric's name in metrics and summaries. */
    public String metric() {
        return metric;
    }

    boolean covers(boolean inContext) {
        return this == ALL || (this == CONTEXT) == inContext;
    }
}
