package dev.odeflow.jobs.ml;

import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.driver.conf.ValueType;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One Spark ML param per training setting: named by its job-file key ({@link TrainKey}), typed by its
 * {@link ValueType} (IntParam, LongParam, DoubleParam, BooleanParam or a String param), documented and defaulted
 * as the key is. The data keys are left out: the estimator derives them from its DataFrame; so are the keys of
 * other model kinds: the estimator trains a CNF.
 */
final class TrainingParams implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The keys the estimator sets from its columns and {@code validationFraction}. */
    static final Set<TrainKey> DATA_KEYS = EnumSet.of(TrainKey.DATA, TrainKey.DATA_FORMAT, TrainKey.DATA_COLUMNS,
            TrainKey.DATA_N, TrainKey.DATA_SPLITS, TrainKey.DATA_STANDARDIZE);

    /** The keys of {@code model.kind} and of the other kinds than cnf. */
    static final Set<TrainKey> OTHER_KIND_KEYS = EnumSet.of(TrainKey.MODEL_KIND, TrainKey.DATA_SERIES,
            TrainKey.DATA_TIME, TrainKey.MODEL_WINDOW, TrainKey.MODEL_LOSS, TrainKey.MODEL_INPUT,
            TrainKey.MODEL_BLOCK, TrainKey.MODEL_CHANNELS, TrainKey.MODEL_CLASSES, TrainKey.DATA_LABEL,
            TrainKey.DATA_PIXELS, TrainKey.DATA_IMAGE, TrainKey.DATA_LIMIT);

    private final Params owner;
    private final Map<String, Param<?>> byKey = new LinkedHashMap<>();
    private final Map<String, TrainKey> keys = new LinkedHashMap<>();

    TrainingParams(Params owner) {
        this.owner = owner;
        for (TrainKey k : TrainKey.values()) {
            if (!DATA_KEYS.contains(k) && !OTHER_KIND_KEYS.contains(k)) {
                byKey.put(k.key(), create(owner, k));
                keys.put(k.key(), k);
            }
        }
    }

    private static Param<?> create(Params owner, TrainKey k) {
        String doc = k.doc();
        return switch (k.type()) {
            case INTEGER -> new IntParam(owner, k.key(), doc);
            case LONG -> new LongParam(owner, k.key(), doc);
            case NUMBER -> new DoubleParam(owner, k.key(), doc);
            case BOOLEAN -> new BooleanParam(owner, k.key(), doc);
            case TEXT, LIST -> new Param<String>(owner, k.key(), doc);
        };
    }

    List<Param<?>> all() {
        return List.copyOf(byKey.values());
    }

    /** The param of {@code key}; an unknown key is an error listing the known ones. */
    Param<?> param(String key) {
        Param<?> p = byKey.get(key);
        if (p == null) {
            String why = TrainKey.of(key).map(k -> OTHER_KIND_KEYS.contains(k)
                    ? "'" + key + "' is not a setting of the CNF estimator (it trains model.kind=cnf)"
                    : "'" + key + "' is set from the DataFrame and the estimator's column params")
                    .orElse("unknown setting '" + key + "'");
            throw new IllegalArgumentException(why + "; the training settings are " + byKey.keySet());
        }
        return p;
    }

    /** The key's default as the param's type; none for keys whose default is unset (empty). */
    @SuppressWarnings("unchecked")
    <T> Optional<T> defaultValue(Param<T> p) {
        TrainKey k = keys.get(p.name());
        return k.defaultValue().isEmpty() ? Optional.empty() : Optional.of((T) convert(k, k.defaultValue()));
    }

    /** Sets {@code key} on the owner, converting {@code value} (the key's type or its job-file text). */
    @SuppressWarnings("unchecked")
    void set(String key, Object value) {
        Param<Object> p = (Param<Object>) param(key);
        owner.set(p, convert(keys.get(key), value));
    }

    private static Object convert(TrainKey k, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("setting " + k.key() + " needs a value");
        }
        String text = value.toString().strip();
        try {
            return switch (k.type()) {
                case INTEGER -> value instanceof Integer i ? i : Integer.valueOf(text);
                case LONG -> value instanceof Number n && !(value instanceof Double || value instanceof Float)
                        ? n.longValue() : Long.valueOf(text);
                case NUMBER -> value instanceof Number n ? n.doubleValue() : Double.valueOf(text);
                case BOOLEAN -> value instanceof Boolean b ? b : bool(text);
                case TEXT, LIST -> text;
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting " + k.key() + " must be " + k.type().expected() + ", got '"
                    + value + "'", e);
        }
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }
}
