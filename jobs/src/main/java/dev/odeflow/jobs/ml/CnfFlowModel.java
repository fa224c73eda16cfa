package dev.odeflow.jobs.ml;

import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.ModelFormatException;
import dev.odeflow.jobs.model.SavedFlow;
import dev.odeflow.jobs.model.TensorDtype;
import dev.odeflow.driver.output.OutputStore;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A trained flow as a Spark ML {@link Model}: {@code transform(df)} adds a log-likelihood column (data space,
 * exact trace, the flow's evaluation solver; null for rows with a missing or NaN feature), scoring each
 * partition in blocks. Saved with {@link #write()} as Spark ML metadata plus the model directory format in
 * {@code <path>/flow}; read back with {@link #load(String)}.
 */
public final class CnfFlowModel extends Model<CnfFlowModel> implements MLWritable {

    private static final long serialVersionUID = 1L;
    static final String FLOW_DIR = "flow";

    private final String uid;
    private final ModelDirectory.EncodedModel encoded;
    private transient SavedFlow flow;

    private final Param<String> featuresCol;
    private final StringArrayParam inputCols;
    private final Param<String> logLikelihoodCol;

    public CnfFlowModel(String uid, ModelDirectory.EncodedModel encoded) {
        this.uid = uid;
        this.encoded = encoded;
        this.featuresCol = new Param<>(this, "featuresCol", "vector column of features (when inputCols is not set)");
        this.inputCols = new StringArrayParam(this, "inputCols", "numeric feature columns (instead of featuresCol)");
        this.logLikelihoodCol = new Param<>(this, "logLikelihoodCol", "output column: log p(x) in data space");
        setDefault(featuresCol, "features");
        setDefault(inputCols, new String[0]);
        setDefault(logLikelihoodCol, "log_likelihood");
    }

    /** A model around a flow, with a fresh uid. */
    public static CnfFlowModel of(SavedFlow flow) {
        return new CnfFlowModel(Identifiable.randomUID("cnfFlow"), ModelDirectory.encode(flow, TensorDtype.F64));
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public StringArrayParam inputCols() {
        return inputCols;
    }

    public Param<String> logLikelihoodCol() {
        return logLikelihoodCol;
    }

    public CnfFlowModel setFeaturesCol(String v) {
        set(featuresCol, v);
        return this;
    }

    public CnfFlowModel setInputCols(String... v) {
        set(inputCols, v);
        return this;
    }

    public CnfFlowModel setLogLikelihoodCol(String v) {
        set(logLikelihoodCol, v);
        return this;
    }

    /** The trained flow (architecture, weights, standardization). */
    public synchronized SavedFlow flow() {
        if (flow == null) {
            try {
                flow = encoded.decode("model " + uid);
            } catch (ModelFormatException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return flow;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        FeatureColumns.validate(schema, getOrDefault(inputCols), getOrDefault(featuresCol));
        String out = getOrDefault(logLikelihoodCol);
        if (Arrays.asList(schema.fieldNames()).contains(out)) {
            throw new IllegalArgumentException("output column '" + out + "' already exists");
        }
        return schema.add(out, DataTypes.DoubleType, true);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        Dataset<Row> df = dataset.toDF();
        transformSchema(df.schema());
        SavedFlow f = flow();
        FeatureColumns.Spread s = FeatureColumns.spread(df, getOrDefault(inputCols), getOrDefault(featuresCol), f.dim());
        if (s.columns().size() != f.dim()) {
            throw new IllegalArgumentException("the model has dimension " + f.dim() + " but inputCols lists "
                    + s.columns().size() + " column(s) " + s.columns());
        }
        Dataset<Row> scored = FlowScoring.withLogLikelihood(s.data(), s.columns(), f, getOrDefault(logLikelihoodCol));
        return s.columns().get(0).startsWith(FeatureColumns.SPREAD_PREFIX)
                ? scored.drop(s.columns().toArray(new String[0])) : scored;
    }

    @Override
    public CnfFlowModel copy(ParamMap extra) {
        CnfFlowModel m = copyValues(new CnfFlowModel(uid, encoded), extra);
        return m.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<CnfFlowModel> read() {
        return new Reader();
    }

    public static CnfFlowModel load(String path) {
        return read().load(path);
    }

    /**
     * Spark ML metadata at {@code path}, the model directory in {@code path/flow}, written through the
     * {@link OutputStore} (built under a temporary name, swapped in whole).
     */
    private static final class Writer extends MLWriter {
        private final CnfFlowModel instance;

        Writer(CnfFlowModel instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(instance, path, sparkSession());
            try {
                OutputStore root = OutputStore.at(path, sparkSession().sparkContext().hadoopConfiguration());
                ModelDirectory.write(root, FLOW_DIR, instance.encoded);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the flow to " + path + "/" + FLOW_DIR + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private static final class Reader extends MLReader<CnfFlowModel> {

        @Override
        public CnfFlowModel load(String path) {
            DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    CnfFlowModel.class.getName());
            String dir = path + "/" + FLOW_DIR;
            try {
                OutputStore flow = OutputStore.at(path, sparkSession().sparkContext().hadoopConfiguration())
                        .child(FLOW_DIR);
                SavedFlow read = ModelDirectory.read(flow);
                CnfFlowModel m = new CnfFlowModel(meta.uid(), ModelDirectory.encode(read, TensorDtype.F64));
                meta.getAndSetParams(m, scala.Option.empty());
                return m;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load a flow from " + dir + ": " + e.getMessage(), e);
            }
        }
    }
}
