package dev.odeflow.jobs.ml;

import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.jobs.model.SavedFlow;
import dev.odeflow.jobs.train.DriverTraining;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;

/**
 * Trains a continuous normalizing flow on a DataFrame with the driver's data-parallel loop. Features are numeric
 * {@code inputCols} or a vector {@code featuresCol}. The training parameters map onto the job-file keys of the
 * driver (only those set are passed; the rest keep the driver's defaults) and {@code settings} passes any other
 * {@code key=value}. The selected columns go to the driver as a DataFrame: nothing is staged on disk.
 */
public final class CnfEstimator extends Estimator<CnfFlowModel> implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;
    /** How the training DataFrame is named in the driver's messages (it has no path). */
    private static final String FRAME_LABEL = "dataframe:";

    private final String uid;

    private final Param<String> featuresCol;
    private final StringArrayParam inputCols;
    private final Param<String> logLikelihoodCol;
    private final IntParam iterations;
    private final IntParam batchSize;
    private final DoubleParam learningRate;
    private final LongParam seed;
    private final IntArrayParam hiddenLayers;
    private final Param<String> layer;
    private final Param<String> activation;
    private final Param<String> solverMethod;
    private final IntParam solverSteps;
    private final DoubleParam rtol;
    private final DoubleParam atol;
    private final Param<String> gradientMethod;
    private final Param<String> divergence;
    private final DoubleParam endTime;
    private final IntParam blocks;
    private final IntParam partitions;
    private final DoubleParam validationFraction;
    private final StringArrayParam settings;

    public CnfEstimator() {
        this(Identifiable.randomUID("cnf"));
    }

    public CnfEstimator(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(this, "featuresCol", "vector column of features (when inputCols is not set)");
        inputCols = new StringArrayParam(this, "inputCols", "numeric feature columns (instead of featuresCol)");
        logLikelihoodCol = new Param<>(this, "logLikelihoodCol", "the fitted model's output column");
        iterations = new IntParam(this, "iterations", "synchronous training iterations (driver key iterations)");
        batchSize = new IntParam(this, "batchSize", "global minibatch size (batch_size)");
        learningRate = new DoubleParam(this, "learningRate", "Adam learning rate (optim.lr)");
        seed = new LongParam(this, "seed", "seed of every random choice (seed)");
        hiddenLayers = new IntArrayParam(this, "hiddenLayers", "hidden widths (model.hidden)");
        layer = new Param<>(this, "layer", "concatsquash or concat (model.layer)");
        activation = new Param<>(this, "activation", "tanh, softplus, elu or swish (model.activation)");
        solverMethod = new Param<>(this, "solverMethod", "training solver (solver.method)");
        solverSteps = new IntParam(this, "solverSteps", "fixed steps, 0 = adaptive (solver.steps)");
        rtol = new DoubleParam(this, "rtol", "training solver relative tolerance (solver.rtol)");
        atol = new DoubleParam(this, "atol", "training solver absolute tolerance (solver.atol)");
        gradientMethod = new Param<>(this, "gradientMethod", "adjoint, checkpoint or direct (gradient)");
        divergence = new Param<>(this, "divergence", "exact, rademacher or gaussian (model.divergence)");
        endTime = new DoubleParam(this, "endTime", "initial T of every block (model.T)");
        blocks = new IntParam(this, "blocks", "CNF blocks in the chain, FFJORD's num_blocks (model.blocks)");
        partitions = new IntParam(this, "partitions", "partitions, 0 = default parallelism (partitions)");
        validationFraction = new DoubleParam(this, "validationFraction",
                "fraction of rows held out for validation NLL, in [0, 1)");
        settings = new StringArrayParam(this, "settings", "further driver settings as key=value, applied last");
        setDefault(featuresCol, "features");
        setDefault(inputCols, new String[0]);
        setDefault(logLikelihoodCol, "log_likelihood");
        setDefault(validationFraction, 0.0);
        setDefault(settings, new String[0]);
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---- param accessors (Spark finds params through these public no-argument methods) ----

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public StringArrayParam inputCols() {
        return inputCols;
    }

    public Param<String> logLikelihoodCol() {
        return logLikelihoodCol;
    }

    public IntParam iterations() {
        return iterations;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public DoubleParam learningRate() {
        return learningRate;
    }

    public LongParam seed() {
        return seed;
    }

    public IntArrayParam hiddenLayers() {
        return hiddenLayers;
    }

    public Param<String> layer() {
        return layer;
    }

    public Param<String> activation() {
        return activation;
    }

    public Param<String> solverMethod() {
        return solverMethod;
    }

    public IntParam solverSteps() {
        return solverSteps;
    }

    public DoubleParam rtol() {
        return rtol;
    }

    public DoubleParam atol() {
        return atol;
    }

    public Param<String> gradientMethod() {
        return gradientMethod;
    }

    public Param<String> divergence() {
        return divergence;
    }

    public DoubleParam endTime() {
        return endTime;
    }

    public IntParam blocks() {
        return blocks;
    }

    public IntParam partitions() {
        return partitions;
    }

    public DoubleParam validationFraction() {
        return validationFraction;
    }

    public StringArrayParam settings() {
        return settings;
    }


    // ---- setters ----

    private <T> CnfEstimator put(Param<T> p, T v) {
        set(p, v);
        return this;
    }

    public CnfEstimator setFeaturesCol(String v) {
        return put(featuresCol, v);
    }

    public CnfEstimator setInputCols(String... v) {
        return put(inputCols, v);
    }

    public CnfEstimator setLogLikelihoodCol(String v) {
        return put(logLikelihoodCol, v);
    }

    public CnfEstimator setIterations(int v) {
        return put(iterations, (Object) v);
    }

    public CnfEstimator setBatchSize(int v) {
        return put(batchSize, (Object) v);
    }

    public CnfEstimator setLearningRate(double v) {
        return put(learningRate, (Object) v);
    }

    public CnfEstimator setSeed(long v) {
        return put(seed, (Object) v);
    }

    public CnfEstimator setHiddenLayers(int... v) {
        return put(hiddenLayers, v);
    }

    public CnfEstimator setLayer(String v) {
        return put(layer, v);
    }

    public CnfEstimator setActivation(String v) {
        return put(activation, v);
    }

    public CnfEstimator setSolverMethod(String v) {
        return put(solverMethod, v);
    }

    public CnfEstimator setSolverSteps(int v) {
        return put(solverSteps, (Object) v);
    }

    public CnfEstimator setRtol(double v) {
        return put(rtol, (Object) v);
    }

    public CnfEstimator setAtol(double v) {
        return put(atol, (Object) v);
    }

    public CnfEstimator setGradientMethod(String v) {
        return put(gradientMethod, v);
    }

    public CnfEstimator setDivergence(String v) {
        return put(divergence, v);
    }

    public CnfEstimator setEndTime(double v) {
        return put(endTime, (Object) v);
    }

    /** A chain of {@code v} CNF blocks (model.blocks); widths k·d go through settings("model.hidden=20d,20d"). */
    public CnfEstimator setBlocks(int v) {
        return put(blocks, (Object) v);
    }

    public CnfEstimator setPartitions(int v) {
        return put(partitions, (Object) v);
    }

    public CnfEstimator setValidationFraction(double v) {
        return put(validationFraction, (Object) v);
    }

    public CnfEstimator setSettings(String... keyValues) {
        return put(settings, keyValues);
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
        addIfSet(kv, "iterations", iterations);
        addIfSet(kv, "batch_size", batchSize);
        addIfSet(kv, "optim.lr", learningRate);
        addIfSet(kv, "seed", seed);
        if (isSet(hiddenLayers)) {
            kv.add("model.hidden=" + Arrays.stream(getOrDefault(hiddenLayers)).mapToObj(Integer::toString)
                    .collect(Collectors.joining(",")));
        }
        addIfSet(kv, "model.layer", layer);
        addIfSet(kv, "model.activation", activation);
        addIfSet(kv, "solver.method", solverMethod);
        addIfSet(kv, "solver.steps", solverSteps);
        addIfSet(kv, "solver.rtol", rtol);
        addIfSet(kv, "solver.atol", atol);
        addIfSet(kv, "gradient", gradientMethod);
        addIfSet(kv, "model.divergence", divergence);
        addIfSet(kv, "model.T", endTime);
        addIfSet(kv, "model.blocks", blocks);
        addIfSet(kv, "partitions", partitions);
        kv.addAll(Arrays.asList(getOrDefault(settings)));
        return kv;
    }

    private void addIfSet(List<String> kv, String key, Param<?> p) {
        if (isSet(p)) {
            kv.add(key + "=" + getOrDefault(p));
        }
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
