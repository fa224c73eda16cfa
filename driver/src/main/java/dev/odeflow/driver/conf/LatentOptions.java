package dev.odeflow.driver.conf;

import dev.odeflow.kernels.latent.LatentDynamics;

import java.io.Serializable;
import java.util.List;

import static dev.odeflow.driver.conf.KeyReads.at;
import static dev.odeflow.driver.conf.KeyReads.atLeastOne;
import static dev.odeflow.driver.conf.KeyReads.dbl;
import static dev.odeflow.driver.conf.KeyReads.integer;
import static dev.odeflow.driver.conf.KeyReads.positive;
import static dev.odeflow.driver.conf.KeyReads.str;

/**
 * The settings only {@code model.kind = latent_ode} reads (the latent field's widths are {@code model.hidden},
 * its and the decoder's activation {@code model.activation}; the table's layout is {@link TrajectoryOptions}').
 *
 * @param latent        size of z
 * @param encoderHidden the GRU encoder's hidden size
 * @param decoderHidden the decoder's hidden widths (none: one linear layer)
 * @param noise         the likelihood's standard deviation
 * @param context       the share of each series' span the encoder reads, in (0, 1]
 * @param dynamics      ode or the GRU baseline
 */
public record LatentOptions(int latent, int encoderHidden, List<Integer> decoderHidden, double noise, double context,
                            LatentDynamics dynamics) implements Serializable {

    public LatentOptions {
        if (latent < 1 || encoderHidden < 1 || decoderHidden == null || dynamics == null) {
            throw new IllegalArgumentException("latent options need sizes >= 1, decoder widths and a dynamics");
        }
        decoderHidden = List.copyOf(decoderHidden);
        for (int w : decoderHidden) {
            if (w < 1) {
                throw new IllegalArgumentException("decoder widths must be >= 1, got " + w);
            }
        }
        if (!(noise > 0) || !Double.isFinite(noise) || !(context > 0 && context <= 1)) {
            throw new IllegalArgumentException("need noise > 0 and a context share in (0, 1]");
        }
    }

    /** The decoder widths as an array. */
    public int[] decoderWidths() {
        return decoderHidden.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The decoder widths as a job file writes them. */
    public String decoderText() {
        return decoderHidden.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    }

    /** The options the keys of {@code c} give; errors name the key and its origin. */
    static LatentOptions read(JobConf c) {
        int latent = at(c, TrainKey.MODEL_LATENT, () -> atLeastOne(integer(c, TrainKey.MODEL_LATENT)));
        int encoder = at(c, TrainKey.MODEL_ENCODER_HIDDEN,
                () -> atLeastOne(integer(c, TrainKey.MODEL_ENCODER_HIDDEN)));
        List<Integer> decoder = at(c, TrainKey.MODEL_DECODER_HIDDEN, () -> c.getIntList(
                TrainKey.MODEL_DECODER_HIDDEN.key(), TrainKey.MODEL_DECODER_HIDDEN.defaultValue()).stream()
                .map(w -> atLeastOne(w)).toList());
        double noise = at(c, TrainKey.MODEL_NOISE, () -> positive(dbl(c, TrainKey.MODEL_NOISE)));
        double context = at(c, TrainKey.MODEL_CONTEXT, () -> {
            double v = dbl(c, TrainKey.MODEL_CONTEXT);
            if (!(v > 0 && v <= 1)) {
                throw new IllegalArgumentException("must be in (0, 1]");
            }
            return v;
        });
        LatentDynamics dynamics = at(c, TrainKey.MODEL_DYNAMICS,
                () -> LatentDynamics.parse(str(c, TrainKey.MODEL_DYNAMICS)));
        return new LatentOptions(latent, encoder, decoder, noise, context, dynamics);
    }
}
