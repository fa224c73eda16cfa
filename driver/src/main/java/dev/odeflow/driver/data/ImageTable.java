package dev.odeflow.driver.data;

import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.kernels.nn.MapShape;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * A table of images (model.kind = classifier) read through Spark SQL: an integer label column and a pixel column
 * holding each image as an array of integers 0–255, channels-last (h, w, c), as MNIST's bytes are. {@link #check}
 * counts, in one pass, the rows that break this and names them by count and column; {@link #read} cuts a checked
 * table into the train, validation and test splits of one {@link ImageBlock} per partition, distributed: each
 * image goes to a split by a seeded hash of its label and pixels, and to a partition by that hash, and is placed
 * in its block in hash order, so the blocks depend on the table's contents and the seed only (not on its files'
 * order or Spark's partitioning).
 */
public final class ImageTable {

    private ImageTable() {
    }

    /**
     * What {@link #check} found in a usable table.
     *
     * @param rows     rows of the table
     * @param maxLabel the largest label (-1 without a label column or rows)
     */
    public record Checked(long rows, int maxLabel) {
    }

    /** One partition's images of each split. */
    private record Cut(ImageBlock train, ImageBlock val, ImageBlock test) implements java.io.Serializable {

        ImageBlock split(int s) {
            return s == 0 ? train : s == 1 ? val : test;
        }
    }

    /**
     * Checks that {@code df} ({@code path} names it) has the pixel column (an array of integers, each 0–255, of
     * {@code shape}'s size in every row) and, when {@code label} is not null, the label column (integers, none
     * null or negative, all below {@code classes} when it is above 0); the problems are counted in one pass.
     */
    public static Checked check(Dataset<Row> df, String path, String label, String pixels, MapShape shape,
                                int classes) {
        List<String> available = Arrays.asList(df.columns());
        require(path, available, pixels, TrainKey.DATA_PIXELS.key());
        DataType pt = df.schema().apply(pixels).dataType();
        if (!(pt instanceof ArrayType a) || !integral(a.elementType())) {
            throw new DataException(path + ": column '" + pixels + "' is " + pt.simpleString() + "; the classifier"
                    + " reads each image as an array of integers 0-255 (channels-last " + shape + ", as MNIST's"
                    + " bytes): scale values in [0, 1] by 255 and round them");
        }
        if (label != null) {
            require(path, available, label, TrainKey.DATA_LABEL.key());
            DataType lt = df.schema().apply(label).dataType();
            if (!integral(lt)) {
                throw new DataException(path + ": column '" + label + "' is " + lt.simpleString()
                        + ", not an integer label");
            }
        }
        Column px = functions.col(pixels);
        Column length = functions.size(px);
        int size = shape.size();
        Column l = label == null ? functions.lit(0) : functions.col(label);
        Row r = df.agg(functions.count(functions.lit(1)),
                count(px.isNull()),
                count(px.isNotNull().and(length.notEqual(size))),
                functions.min(functions.when(px.isNotNull().and(length.notEqual(size)), length)),
                count(functions.expr("exists(`" + pixels.replace("`", "``")
                        + "`, v -> v is null or v < 0 or v > 255)")),
                count(l.isNull()),
                count(l.lt(0)),
                count(classes > 0 ? l.geq(classes) : functions.lit(false)),
                functions.max(l)).first();
        long rows = r.getLong(0);
        String of = " of " + rows + " rows";
        if (rows == 0) {
            throw new DataException(path + ": the table has no rows");
        }
        if (r.getLong(1) > 0) {
            throw new DataException(path + ": " + r.getLong(1) + of + " have no '" + pixels + "' array");
        }
        if (r.getLong(2) > 0) {
            throw new DataException(path + ": " + r.getLong(2) + of + " have a '" + pixels + "' array of another"
                    + " length than " + size + " (" + TrainKey.DATA_IMAGE.key() + " = " + shape + "), e.g. "
                    + r.getInt(3));
        }
        if (r.getLong(4) > 0) {
            throw new DataException(path + ": " + r.getLong(4) + of + " have a '" + pixels + "' value outside 0-255"
                    + " (or null)");
        }
        if (label != null) {
            if (r.getLong(5) > 0) {
                throw new DataException(path + ": " + r.getLong(5) + of + " have no '" + label + "'");
            }
            if (r.getLong(6) > 0) {
                throw new DataException(path + ": " + r.getLong(6) + of + " have a negative '" + label + "'");
            }
            if (r.getLong(7) > 0) {
                throw new DataException(path + ": " + r.getLong(7) + of + " have a '" + label + "' >= "
                        + TrainKey.MODEL_CLASSES.key() + " = " + classes + " (the largest is "
                        + ((Number) r.get(8)).longValue() + ")");
            }
        }
        long max = label == null ? -1 : ((Number) r.get(8)).longValue();
        if (max > Integer.MAX_VALUE - 1) {
            throw new DataException(path + ": the largest '" + label + "' is " + max + "; set "
                    + TrainKey.MODEL_CLASSES.key() + " to the number of classes");
        }
        return new Checked(rows, (int) max);
    }

    /**
     * The three splits of a {@link #check checked} table (each persisted: the caller unpersists them) of
     * {@code p} blocks each; {@code splitSeed} and {@code upper} choose each image's split as
     * {@link TableSplit#splitOf} does a row's.
     */
    static List<JavaRDD<ImageBlock>> read(Dataset<Row> df, String label, String pixels, MapShape shape, int p,
                                          long splitSeed, double[] upper) {
        Dataset<Row> keyed = df.select(functions.col(label).cast("int").as("l"), functions.col(pixels).as("p"))
                .withColumn("h", functions.xxhash64(functions.col("l"), functions.col("p")));
        JavaRDD<Cut> cuts = keyed.repartition(p, functions.col("h")).sortWithinPartitions("h", "l").javaRDD()
                .mapPartitions(it -> List.of(cut(it, shape, splitSeed, upper)).iterator())
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<JavaRDD<ImageBlock>> splits = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                int split = s;
                JavaRDD<ImageBlock> blocks = cuts.map(c -> c.split(split)).persist(StorageLevel.MEMORY_AND_DISK());
                blocks.count();
                splits.add(blocks);
            }
            return splits;
        } finally {
            cuts.unpersist(false);
        }
    }

    private static Cut cut(Iterator<Row> rows, MapShape shape, long splitSeed, double[] upper) {
        ByteArrayOutputStream[] px = new ByteArrayOutputStream[3];
        List<List<Integer>> labels = List.of(new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        for (int s = 0; s < 3; s++) {
            px[s] = new ByteArrayOutputStream();
        }
        byte[] image = new byte[shape.size()];
        while (rows.hasNext()) {
            Row r = rows.next();
            int s = TableSplit.splitOf(r.getLong(2), splitSeed, upper);
            List<Object> values = r.getList(1);
            for (int i = 0; i < image.length; i++) {
                image[i] = (byte) ((Number) values.get(i)).intValue();
            }
            px[s].write(image, 0, image.length);
            labels.get(s).add(r.getInt(0));
        }
        ImageBlock[] b = new ImageBlock[3];
        for (int s = 0; s < 3; s++) {
            b[s] = new ImageBlock(shape, px[s].toByteArray(), labels.get(s).stream().mapToInt(Integer::intValue)
                    .toArray());
        }
        return new Cut(b[0], b[1], b[2]);
    }

    private static Column count(Column condition) {
        return functions.sum(functions.when(condition, 1L).otherwise(0L));
    }

    private static boolean integral(DataType t) {
        return t.equals(DataTypes.ByteType) || t.equals(DataTypes.ShortType) || t.equals(DataTypes.IntegerType)
                || t.equals(DataTypes.LongType);
    }

    private static void require(String path, List<String> available, String column, String key) {
        if (!available.contains(column)) {
            throw new DataException(path + ": no column '" + column + "' (" + key + "); the table has columns "
                    + available);
        }
    }
}
