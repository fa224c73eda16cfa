package dev.odeflow.jobs.ml;

import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.jobs.model.SavedFlow;
import dev.odeflow.jobs.train.DriverTraining;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;

/**
 * Trains a continuous normalizing flow on a DataFrame with the driver's data-parallel loop. Features are numeric
 * {@code inputCols} or a vector {@code featuresCol}. <b>Every training setting is a param named by its job-file
 * key</b> ({@link TrainKey}: {@code iterations}, {@code batch_size}, {@code solver.rtol}, {@code model.hidden},
 * ...; {@link TrainingParams}), typed as the key is and defaulting to the key's default; only the params set are
 * passed to the driver. The selected columns go to the driver as a DataFrame: nothing is staged on disk.
 */
public final class CnfEstimator extends Estimator<CnfFlowModel> implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;
    /** How the training DataFrame is named in the driver's messages (it has no path). */
    private static final String FRAME_LABEL = "dataframe:";

    private final String uid;

    private final Param<String> featuresCol;
    private final StringArrayParam inputCols;
    private final Param<String> logLikelihoodCol;
    private final DoubleParam validationFraction;
    private final TrainingParams training;
    private Param<?>[] params;

    public CnfEstimator() {
        this(Identifiable.randomUID("cnf"));
    }

    public CnfEstimator(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(this, "featuresCol", "vector column of features (when inputCols is not set)");
        inputCols = new StringArrayParam(this, "inputCols", "numeric feature columns (instead of featuresCol)");
        logLikelihoodCol = new Param<>(this, "logLikelihoodCol", "the fitted model's output column");
        validationFraction = new DoubleParam(this, "validationFraction",
                "fraction of rows held out for validation NLL, in [0, 1)");
        setDefault(featuresCol, "features");
        setDefault(inputCols, new String[0]);
        setDefault(logLikelihoodCol, "log_likelihood");
        setDefault(validationFraction, 0.0);
        training = new TrainingParams(this);
        training.all().forEach(this::defaultOf);
    }

    private <T> void defaultOf(Param<T> p) {
        training.defaultValue(p).ifPresent(v -> setDefault(p, v));
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The columns' params and one param per training setting (Spark's reflection sees only the former). */
    @Override
    public Param<?>[] params() {
        if (params == null) {
            List<Param<?>> all = new ArrayList<>(List.of(featuresCol, inputCols, logLikelihoodCol,
                    validationFraction));
            all.addAll(training.all());
            all.sort((a, b) -> a.name().compareTo(b.name()));
            params = all.toArray(new Param<?>[0]);
        }
        return params;
    }

    // ---- the columns' params (Spark finds these through their public no-argument accessors) ----

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public StringArrayParam inputCols() {
        return inputCols;
    }

    public Param<String> logLikelihoodCol() {
        return logLikelihoodCol;
    }

    public DoubleParam validationFraction() {
        return validationFraction;
    }

    public CnfEstimator setFeaturesCol(String v) {
        set(featuresCol, v);
        return this;
    }

    public CnfEstimator setInputCols(String... v) {
        set(inputCols, v);
        return this;
    }

    public CnfEstimator setLogLikelihoodCol(String v) {
        set(logLikelihoodCol, v);
        return this;
    }

    public CnfEstimator setValidationFraction(double v) {
        set(validationFraction, (Object) v);
        return this;
    }

    // ---- training settings, by job key ----

    /**
     * Sets the training setting {@code key} (a job-file key such as {@code solver.rtol}); {@code value} is the
     * key's type (Integer, Long, Double, Boolean or String) or its text as a job file writes it.
     */
    public CnfEstimator setSetting(String key, Object value) {
        training.set(key, value);
        return this;
    }

    /** Sets several settings given as job-file {@code key=value} text, in order. */
    public CnfEstimator setSettings(String... keyValues) {
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + kv + "'");
            }
            setSetting(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
        }
        return this;
    }

    /** The param of training setting {@code key}. */
    public Param<?> setting(String key) {
        return training.param(key);
    }

    public CnfEstimator setIterations(int v) {
        return setSetting(TrainKey.ITERATIONS.key(), v);
    }

    public CnfEstimator setBatchSize(int v) {
        return setSetting(TrainKey.BATCH_SIZE.key(), v);
    }

    public CnfEstimator setSeed(long v) {
        return setSetting(TrainKey.SEED.key(), v);
    }

    /** The driver settings this estimator passes, in order (later ones win). */
    public List<String> driverSettings(String dataPath, List<String> columns) {
        double val = (Double) getOrDefault(validationFraction);
        if (!(val >= 0 && val < 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1), got " + val);
        }
        List<String> kv = new ArrayList<>();
        kv.add("data=" + dataPath);
        kv.add("data.format=parquet");
        kv.add("data.columns=" + String.join(",", columns));
        kv.add("data.standardize=true");
        kv.add(String.format(Locale.ROOT, "data.splits=%s,%s,0", Double.toString(1 - val), Double.toString(val)));
        kv.add("plots=false");
        for (Param<?> p : training.all()) {
            if (isSet(p)) {
                kv.add(p.name() + "=" + getOrDefault(p));
            }
        }
        return kv;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        FeatureColumns.validate(schema, getOrDefault(inputCols), getOrDefault(featuresCol));
        return schema.add(getOrDefault(logLikelihoodCol), DataTypes.DoubleType, true);
    }

    @Override
    public CnfFlowModel fit(Dataset<?> dataset) {
        Dataset<Row> df = dataset.toDF();
        transformSchema(df.schema());
        String[] in = getOrDefault(inputCols);
        boolean vector = in.length == 0;
        int dim = vector ? FeatureColumns.vectorSize(df, getOrDefault(featuresCol)) : in.length;
        FeatureColumns.Spread spread = FeatureColumns.spread(df, in, getOrDefault(featuresCol), dim);
        List<String> names = new ArrayList<>();
        List<Column> staged = new ArrayList<>();
        for (int j = 0; j < dim; j++) {
            String name = vector ? "f" + j : in[j];
            if (name.contains(",") || name.contains("`")) {
                throw new IllegalArgumentException("input column '" + name + "' contains ',' or '`'; rename it");
            }
            names.add(name);
            staged.add(col("`" + spread.columns().get(j) + "`").cast(DataTypes.DoubleType).as(name));
        }
        Dataset<Row> frame = spread.data().select(staged.toArray(new Column[0]));
        TrainConfig config = TrainConfig.from(DriverTraining.load(null, driverSettings(FRAME_LABEL + uid, names)));
        SavedFlow flow = DriverTraining.train(df.sparkSession(), config, frame).flow();
        CnfFlowModel model = new CnfFlowModel(Identifiable.randomUID("cnfFlow"),
                dev.odeflow.jobs.model.ModelDirectory.encode(flow, dev.odeflow.jobs.model.TensorDtype.F64));
        copyValues(model, ParamMap.empty());
        if (!vector) {
            model.setInputCols(in);
        }
        return model.setParent(this);
    }

    @Override
    public CnfEstimator copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<CnfEstimator> read() {
        return new DefaultParamsReader<>();
    }

    public static CnfEstimator load(String path) {
        return read().load(path);
    }
}
