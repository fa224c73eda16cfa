package dev.odeflow.driver.conf;

import dev.odeflow.kernels.classifier.ClassifierBlock;
import dev.odeflow.kernels.nn.MapShape;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.odeflow.driver.conf.KeyReads.at;
import static dev.odeflow.driver.conf.KeyReads.atLeastOne;
import static dev.odeflow.driver.conf.KeyReads.integer;
import static dev.odeflow.driver.conf.KeyReads.nonNegative;
import static dev.odeflow.driver.conf.KeyReads.positive;
import static dev.odeflow.driver.conf.KeyReads.dbl;
import static dev.odeflow.driver.conf.KeyReads.str;

/**
 * The settings only {@code model.kind = classifier} reads: the network ({@code model.block}, {@code model.channels},
 * the MLP's width from {@code model.hidden}, {@code model.classes}, the ODE block's end time from {@code model.T})
 * and the images' layout ({@code data.label}, {@code data.pixels}, {@code data.image}, {@code data.limit}).
 *
 * @param block        the feature block
 * @param channels     width of the convolutional network
 * @param hidden       the MLP block's hidden width
 * @param classes      number of classes; 0 = the data's largest label + 1
 * @param endTime      the ODE block integrates over [0, endTime]
 * @param labelColumn  a Parquet table's label column
 * @param pixelsColumn a Parquet table's pixel-array column
 * @param image        one image's shape
 * @param imageSet     whether {@code data.image} was set (IDX files must then agree with it)
 * @param limit        train and validate on the first N images of the IDX training files; 0 = all
 */
public record ClassifierOptions(ClassifierBlock block, int channels, int hidden, int classes, double endTime,
                                String labelColumn, String pixelsColumn, MapShape image, boolean imageSet, int limit)
        implements Serializable {

    /** odenet_mnist.py's ODE block integrates over [0, 1]. */
    public static final double DEFAULT_END_TIME = 1.0;
    /** The seeds' 1-layer MLP has 300 hidden units. */
    public static final int DEFAULT_HIDDEN = 300;

    /** Keys only the classifier reads: refused, when set, for every other kind. */
    static final Set<TrainKey> OWN_KEYS = EnumSet.of(TrainKey.MODEL_BLOCK, TrainKey.MODEL_CHANNELS,
            TrainKey.MODEL_CLASSES, TrainKey.DATA_LABEL, TrainKey.DATA_PIXELS, TrainKey.DATA_IMAGE,
            TrainKey.DATA_LIMIT);

    /** Keys of the other kinds that mean nothing to a classifier: refused when set. */
    static final Set<TrainKey> FOREIGN_KEYS = EnumSet.of(TrainKey.DATA_COLUMNS, TrainKey.DATA_SERIES,
            TrainKey.DATA_TIME, TrainKey.DATA_DELAY, TrainKey.DATA_N, TrainKey.DATA_NAN, TrainKey.DATA_STANDARDIZE,
            TrainKey.MODEL_LAYER, TrainKey.MODEL_BLOCKS, TrainKey.MODEL_ACTIVATION,
            TrainKey.MODEL_DIVERGENCE, TrainKey.MODEL_TRAIN_T, TrainKey.REGULARIZATION_L2INT,
            TrainKey.REGULARIZATION_JFROBINT, TrainKey.GRADIENT_MEMORY_MB, TrainKey.MODEL_WINDOW, TrainKey.MODEL_LOSS,
            TrainKey.MODEL_INPUT, TrainKey.MODEL_LATENT, TrainKey.MODEL_ENCODER_HIDDEN, TrainKey.MODEL_DECODER_HIDDEN,
            TrainKey.MODEL_NOISE, TrainKey.MODEL_CONTEXT, TrainKey.MODEL_DYNAMICS);

    public ClassifierOptions {
        if (block == null || image == null || labelColumn == null || labelColumn.isBlank() || pixelsColumn == null
                || pixelsColumn.isBlank() || labelColumn.equals(pixelsColumn)) {
            throw new IllegalArgumentException("classifier options need a block, an image shape and two different"
                    + " column names");
        }
        if (channels < 1 || hidden < 1 || classes < 0 || classes == 1 || limit < 0) {
            throw new IllegalArgumentException("need channels and hidden >= 1, classes 0 (from the data) or >= 2 and"
                    + " limit >= 0");
        }
        if (!(endTime > 0) || !Double.isFinite(endTime)) {
            throw new IllegalArgumentException("the ODE block's end time must be > 0 and finite, got " + endTime);
        }
    }

    /** One image's shape as {@code data.image} writes it: {@code 28x28x1}. */
    public static String imageText(MapShape s) {
        return s.height() + "x" + s.width() + "x" + s.channels();
    }

    /**
     * Parses {@code h x w x c} ({@code 28x28x1}; {@code ×} or {@code x}, spaces allowed).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static MapShape parseImage(String text) {
        String[] parts = text.strip().toLowerCase(Locale.ROOT).split("\\s*[x×]\\s*");
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected height x width x channels, e.g. 28x28x1");
        }
        try {
            return new MapShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected height x width x channels, e.g. 28x28x1");
        }
    }

    /**
     * Fails, naming the key and where it was set, when a key of {@code kind}'s others is set: the classifier's own
     * keys for the other kinds, the other kinds' for a classifier.
     */
    static void refuseForeignKeys(JobConf c, ModelKind kind) {
        Set<TrainKey> refused = kind == ModelKind.CLASSIFIER ? FOREIGN_KEYS : OWN_KEYS;
        for (TrainKey k : refused) {
            if (c.contains(k.key())) {
                throw c.invalid(k.key(), kind == ModelKind.CLASSIFIER ? "not a setting of model.kind=classifier"
                        : "a setting of model.kind=classifier, not of " + kind.label());
            }
        }
    }

    /**
     * The options the keys of {@code c} give for a classifier, the defaults for the other kinds (which share
     * {@code model.hidden} and {@code model.T} but read them otherwise); errors name the key and its origin.
     */
    static ClassifierOptions read(JobConf c, ModelKind kind) {
        if (kind != ModelKind.CLASSIFIER) {
            return read(JobConf.ofOverrides(java.util.List.of(), TrainKey.names()));
        }
        return read(c);
    }

    private static ClassifierOptions read(JobConf c) {
        ClassifierBlock block = at(c, TrainKey.MODEL_BLOCK, () -> ClassifierBlock.parse(str(c, TrainKey.MODEL_BLOCK)));
        int channels = at(c, TrainKey.MODEL_CHANNELS, () -> atLeastOne(integer(c, TrainKey.MODEL_CHANNELS)));
        int hidden = !c.contains(TrainKey.MODEL_HIDDEN.key()) ? DEFAULT_HIDDEN : at(c, TrainKey.MODEL_HIDDEN, () -> {
            List<Integer> widths = c.getIntList(TrainKey.MODEL_HIDDEN.key(), TrainKey.MODEL_HIDDEN.defaultValue());
            if (widths.size() != 1) {
                throw new IllegalArgumentException("the classifier's MLP has one hidden layer: give one width");
            }
            return atLeastOne(widths.get(0));
        });
        int classes = c.getString(TrainKey.MODEL_CLASSES.key(), "").isBlank() ? 0
                : at(c, TrainKey.MODEL_CLASSES, () -> {
                    int k = integer(c, TrainKey.MODEL_CLASSES);
                    if (k < 2) {
                        throw new IllegalArgumentException("a classifier needs at least 2 classes");
                    }
                    return k;
                });
        double endTime = !c.contains(TrainKey.MODEL_T.key()) ? DEFAULT_END_TIME
                : at(c, TrainKey.MODEL_T, () -> positive(dbl(c, TrainKey.MODEL_T)));
        String label = str(c, TrainKey.DATA_LABEL).strip();
        String pixels = at(c, TrainKey.DATA_PIXELS, () -> {
            String p = str(c, TrainKey.DATA_PIXELS).strip();
            if (p.isEmpty() || p.equals(label)) {
                throw new IllegalArgumentException("must name a column other than " + TrainKey.DATA_LABEL.key());
            }
            return p;
        });
        MapShape image = at(c, TrainKey.DATA_IMAGE, () -> parseImage(str(c, TrainKey.DATA_IMAGE)));
        int limit = nonNegative(c, TrainKey.DATA_LIMIT);
        return new ClassifierOptions(block, channels, hidden, classes, endTime,
                label.isEmpty() ? TrainKey.DATA_LABEL.defaultValue() : label, pixels, image,
                c.contains(TrainKey.DATA_IMAGE.key()), limit);
    }
}
