package dev.odeflow.jobs.ml;

import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.ModelFormatException;
import dev.odeflow.jobs.model.SavedFlow;
import dev.odeflow.jobs.model.TensorDtype;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;

/**
 * Adds a log-likelihood column to a DataFrame: each partition is cut into blocks of rows that go to the kernels in
 * one call each (no per-row calls). Rows with a null or NaN feature get a null log-likelihood.
 */
public final class FlowScoring {

    /** Rows per kernel call. */
    public static final int BLOCK_ROWS = 1024;

    private FlowScoring() {
    }

    /**
     * The feature columns to score: {@code requested} if given, else the model's own column names if the data has
     * them all, else every numeric column. Each must exist and be numeric, and there must be exactly as many as
     * the model's dimension. {@code source} names the data in errors.
     */
    public static List<String> featureColumns(StructType schema, List<String> requested, SavedFlow flow,
                                              String source) {
        List<String> names = Arrays.asList(schema.fieldNames());
        List<String> cols;
        if (requested != null && !requested.isEmpty()) {
            cols = requested;
        } else if (names.containsAll(flow.columns())) {
            cols = flow.columns();
        } else {
            cols = Arrays.stream(schema.fields()).filter(f -> f.dataType() instanceof NumericType)
                    .map(StructField::name).toList();
        }
        for (String c : cols) {
            if (!names.contains(c)) {
                throw new IllegalArgumentException(source + ": no column '" + c + "'; columns are " + names);
            }
            StructField f = schema.apply(c);
            if (!(f.dataType() instanceof NumericType)) {
                throw new IllegalArgumentException(source + ": column '" + c + "' has type "
                        + f.dataType().simpleString() + ", expected a number");
            }
        }
        if (cols.size() != flow.dim()) {
            throw new IllegalArgumentException(source + ": the model has dimension " + flow.dim() + " (columns "
                    + flow.columns() + ") but the data gives " + cols.size() + " feature column(s) " + cols);
        }
        return List.copyOf(cols);
    }

    /** A condition true for rows with a null or NaN value in any of {@code cols}. */
    public static Column missing(List<String> cols) {
        Column any = null;
        for (String c : cols) {
            Column bad = col(c).isNull().or(isnan(col(c)));
            any = any == null ? bad : any.or(bad);
        }
        return any;
    }

    /** {@code df} with a nullable double column {@code outputCol} = log p(features) in data space. */
    public static Dataset<Row> withLogLikelihood(Dataset<Row> df, List<String> cols, SavedFlow flow,
                                                 String outputCol) {
        StructType schema = df.schema();
        if (Arrays.asList(schema.fieldNames()).contains(outputCol)) {
            throw new IllegalArgumentException("output column '" + outputCol + "' already exists in the data");
        }
        int[] idx = cols.stream().mapToInt(schema::fieldIndex).toArray();
        StructType out = schema.add(outputCol, DataTypes.DoubleType, true);
        JavaRDD<Row> rows = df.javaRDD().mapPartitions(
                new BlockScorer(ModelDirectory.encode(flow, TensorDtype.F64), idx));
        return df.sparkSession().createDataFrame(rows, out);
    }

    /** Scores one partition block by block; the flow travels in its exact (F64) model-directory encoding. */
    private record BlockScorer(ModelDirectory.EncodedModel encoded, int[] idx)
            implements FlatMapFunction<Iterator<Row>, Row> {

        @Override
        public Iterator<Row> call(Iterator<Row> it) throws ModelFormatException {
            SavedFlow flow = encoded.decode("scoring task");
            return new Iterator<>() {
                private Iterator<Row> block = java.util.Collections.emptyIterator();

                @Override
                public boolean hasNext() {
                    if (!block.hasNext() && it.hasNext()) {
                        block = scoreBlock(flow, it).iterator();
                    }
                    return block.hasNext();
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    return block.next();
                }
            };
        }

        private List<Row> scoreBlock(SavedFlow flow, Iterator<Row> it) {
            int d = idx.length;
            List<Row> in = new ArrayList<>(BLOCK_ROWS);
            while (in.size() < BLOCK_ROWS && it.hasNext()) {
                in.add(it.next());
            }
            double[] x = new double[in.size() * d];
            boolean[] ok = new boolean[in.size()];
            int n = 0;
            for (int r = 0; r < in.size(); r++) {
                Row row = in.get(r);
                boolean good = true;
                for (int j = 0; j < d && good; j++) {
                    Object v = row.get(idx[j]);
                    double dv = v == null ? Double.NaN : ((Number) v).doubleValue();
                    good = !Double.isNaN(dv);
                    x[n * d + j] = dv;
                }
                ok[r] = good;
                if (good) {
                    n++;
                }
            }
            double[] ll = n == 0 ? new double[0] : flow.logLikelihood(Arrays.copyOf(x, n * d), n);
            List<Row> out = new ArrayList<>(in.size());
            int k = 0;
            for (int r = 0; r < in.size(); r++) {
                Row row = in.get(r);
                Object[] values = new Object[row.length() + 1];
                for (int j = 0; j < row.length(); j++) {
                    values[j] = row.get(j);
                }
                values[row.length()] = ok[r] ? (Object) ll[k++] : null;
                out.add(RowFactory.create(values));
            }
            return out;
        }
    }
}
