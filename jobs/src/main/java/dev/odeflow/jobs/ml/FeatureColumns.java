package dev.odeflow.jobs.ml;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;

/**
 * How the estimator and model find their features: either numeric {@code inputCols}, or one vector column
 * {@code featuresCol} whose elements are spread into temporary numeric columns.
 */
final class FeatureColumns {

    /** Prefix of the temporary columns a vector column is spread into. */
    static final String SPREAD_PREFIX = "__odeflow_f";

    private FeatureColumns() {
    }

    /** Checks the schema: every input column numeric, or the features column a vector. */
    static void validate(StructType schema, String[] inputCols, String featuresCol) {
        List<String> names = Arrays.asList(schema.fieldNames());
        if (inputCols != null && inputCols.length > 0) {
            for (String c : inputCols) {
                if (!names.contains(c)) {
                    throw new IllegalArgumentException("input column '" + c + "' does not exist; columns are " + names);
                }
                StructField f = schema.apply(c);
                if (!(f.dataType() instanceof NumericType)) {
                    throw new IllegalArgumentException("input column '" + c + "' has type " + f.dataType().simpleString()
                            + ", expected a number");
                }
            }
            return;
        }
        if (!names.contains(featuresCol)) {
            throw new IllegalArgumentException("features column '" + featuresCol + "' does not exist (set inputCols"
                    + " for numeric columns); columns are " + names);
        }
        if (!schema.apply(featuresCol).dataType().equals(SQLDataTypes.VectorType())) {
            throw new IllegalArgumentException("features column '" + featuresCol + "' has type "
                    + schema.apply(featuresCol).dataType().simpleString() + ", expected a vector");
        }
    }

    /** The data with its features as numeric columns, and their names. */
    record Spread(Dataset<Row> data, List<String> columns) {
    }

    /**
     * With inputCols: the data unchanged. With a vector column of dimension {@code dim}: the data plus numeric
     * columns {@code __odeflow_f0 ..} holding its elements.
     */
    static Spread spread(Dataset<Row> df, String[] inputCols, String featuresCol, int dim) {
        validate(df.schema(), inputCols, featuresCol);
        if (inputCols != null && inputCols.length > 0) {
            return new Spread(df, List.of(inputCols));
        }
        List<Column> cols = new ArrayList<>();
        for (String n : df.columns()) {
            cols.add(col("`" + n + "`"));
        }
        List<String> names = new ArrayList<>();
        Column arr = vector_to_array(col("`" + featuresCol + "`"), "float64");
        for (int j = 0; j < dim; j++) {
            names.add(SPREAD_PREFIX + j);
            cols.add(arr.getItem(j).as(SPREAD_PREFIX + j));
        }
        return new Spread(df.select(cols.toArray(new Column[0])), names);
    }

    /** The vector dimension of the first non-null features value. */
    static int vectorSize(Dataset<Row> df, String featuresCol) {
        List<Row> first = df.select(col("`" + featuresCol + "`")).where(col("`" + featuresCol + "`").isNotNull())
                .limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new IllegalArgumentException("features column '" + featuresCol + "' has no values (empty dataset)");
        }
        return ((org.apache.spark.ml.linalg.Vector) first.get(0).get(0)).size();
    }
}
