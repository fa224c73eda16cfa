package dev.odeflow.driver.data;

import dev.odeflow.driver.conf.ClassifierOptions;
import dev.odeflow.driver.conf.DataConfig;
import dev.odeflow.driver.conf.DataFormat;
import dev.odeflow.driver.conf.SplitSizes;
import dev.odeflow.driver.conf.Splits;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.kernels.nn.MapShape;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Labelled images for {@code model.kind = classifier}: the train, validation and test splits, each an RDD of one
 * cached {@link ImageBlock} per partition.
 *
 * <p>From MNIST's IDX files ({@code data.format = idx}): the four files are read on the driver through Hadoop's
 * FileSystem ({@link IdxFiles}; MNIST's 55 MB fit easily) and parallelized; the first {@code data.limit} images of
 * the training files (all when 0) go to train or validation by a seeded hash of their index, in the ratio of
 * {@code data.splits}' first two fractions, and the t10k files are the test split. From a Parquet table (a label
 * and a pixel-array column, {@link ImageTable}) the reading stays distributed and {@code data.splits} cuts it
 * into all three splits.
 *
 * @param train       training blocks (persisted)
 * @param val         validation blocks (persisted)
 * @param test        test blocks (persisted)
 * @param trainImages training images per partition (the minibatch plan's units)
 * @param valImages   validation images per partition
 * @param images      images in the train, validation and test splits
 * @param shape       one image's shape
 * @param classes     number of classes (model.classes, or the largest label + 1)
 * @param source      what was read, for messages
 * @param broadcasts  what the blocks are cut from (IDX files read on the driver), released with them
 */
public record ImageData(JavaRDD<ImageBlock> train, JavaRDD<ImageBlock> val, JavaRDD<ImageBlock> test,
                        long[] trainImages, long[] valImages, long[] images, MapShape shape, int classes,
                        String source, List<Broadcast<?>> broadcasts) {

    public void unpersist() {
        train.unpersist(false);
        val.unpersist(false);
        test.unpersist(false);
        broadcasts.forEach(b -> b.destroy());
    }

    /** Loads, checks, splits, partitions and caches the images a configuration names. */
    public static ImageData load(SparkSession spark, DataConfig cfg, ClassifierOptions opt, int partitions,
                                 int batchSize, long seed) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int p = partitions > 0 ? partitions : jsc.defaultParallelism();
        ImageData data = cfg.format() == DataFormat.IDX ? idx(jsc, cfg, opt, p, seed) : parquet(spark, cfg, opt, p,
                seed);
        try {
            SplitSizes sizes = new SplitSizes(data.images[0], data.images[1], data.images[2]);
            sizes.check(cfg.format() == DataFormat.IDX ? trainingFileShares(cfg.splits()) : cfg.splits(), batchSize,
                    data.source);
            return data;
        } catch (IllegalArgumentException e) {
            data.unpersist();
            throw e instanceof DataException ? e : new DataException(e.getMessage(), e);
        }
    }

    /** How data.splits cuts the IDX training files: train and validation in the ratio of its first two. */
    static Splits trainingFileShares(Splits s) {
        double trainAndVal = s.train() + s.val();
        return new Splits(s.train() / trainAndVal, s.val() / trainAndVal, 0);
    }

    private static ImageData idx(JavaSparkContext jsc, DataConfig cfg, ClassifierOptions opt, int p, long seed) {
        IdxImages trainFiles;
        IdxImages testFiles;
        try {
            trainFiles = IdxFiles.read(cfg.path(), IdxFiles.Part.TRAIN, jsc.hadoopConfiguration());
            testFiles = IdxFiles.read(cfg.path(), IdxFiles.Part.TEST, jsc.hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + cfg.path() + ": " + e.getMessage(), e);
        }
        if (!testFiles.shape().equals(trainFiles.shape())) {
            throw new DataException(testFiles.source() + ": images of " + testFiles.shape() + ", but "
                    + trainFiles.source() + " holds images of " + trainFiles.shape());
        }
        if (opt.imageSet() && !opt.image().equals(trainFiles.shape())) {
            throw new DataException(trainFiles.source() + ": images of " + trainFiles.shape() + ", but "
                    + TrainKey.DATA_IMAGE.key() + " = " + ClassifierOptions.imageText(opt.image()));
        }
        int classes = classes(opt, Math.max(trainFiles.maxLabel(), testFiles.maxLabel()), cfg.path());
        checkLabels(trainFiles, classes);
        checkLabels(testFiles, classes);
        int used = opt.limit() == 0 ? trainFiles.n() : Math.min(opt.limit(), trainFiles.n());
        long splitSeed = Seeds.derive(seed, Seeds.SPLIT);
        double[] upper = TableSplit.upperEnds(trainingFileShares(cfg.splits()));
        int[][] chosen = new int[2][];
        for (int s = 0; s < 2; s++) {
            int split = s;
            chosen[s] = java.util.stream.IntStream.range(0, used)
                    .filter(i -> TableSplit.splitOf(i, splitSeed, upper) == split).toArray();
        }
        int[] all = java.util.stream.IntStream.range(0, testFiles.n()).toArray();
        Broadcast<IdxImages> trainB = jsc.broadcast(trainFiles);
        Broadcast<IdxImages> testB = jsc.broadcast(testFiles);
        List<Broadcast<int[]>> listed = List.of(jsc.broadcast(chosen[0]), jsc.broadcast(chosen[1]),
                jsc.broadcast(all));
        JavaRDD<ImageBlock> train = blocks(jsc, trainB, listed.get(0), p);
        JavaRDD<ImageBlock> val = blocks(jsc, trainB, listed.get(1), p);
        JavaRDD<ImageBlock> test = blocks(jsc, testB, listed.get(2), p);
        String source = cfg.path() + " (idx" + (used < trainFiles.n() ? ", data.limit: the first " + used + " of "
                + trainFiles.n() + " training images" : "") + ")";
        return new ImageData(train, val, test, units(train), units(val), new long[] {chosen[0].length,
            chosen[1].length, testFiles.n()}, trainFiles.shape(), classes, source, List.of(trainB, testB, listed.get(0), listed.get(1),
            listed.get(2)));
    }

    private static ImageData parquet(SparkSession spark, DataConfig cfg, ClassifierOptions opt, int p, long seed) {
        Dataset<Row> df = TableReader.load(spark, cfg.path(), cfg.format());
        ImageTable.Checked checked = ImageTable.check(df, cfg.path(), opt.labelColumn(), opt.pixelsColumn(),
                opt.image(), opt.classes());
        int classes = classes(opt, checked.maxLabel(), cfg.path());
        List<JavaRDD<ImageBlock>> s = ImageTable.read(df, opt.labelColumn(), opt.pixelsColumn(), opt.image(), p,
                Seeds.derive(seed, Seeds.SPLIT), TableSplit.upperEnds(cfg.splits()));
        long[] images = new long[3];
        long[][] perPartition = new long[3][];
        for (int i = 0; i < 3; i++) {
            perPartition[i] = units(s.get(i));
            images[i] = Arrays.stream(perPartition[i]).sum();
        }
        return new ImageData(s.get(0), s.get(1), s.get(2), perPartition[0], perPartition[1], images, opt.image(),
                classes, cfg.path(), List.of());
    }

    /** model.classes when set, else the largest label + 1 (at least 2 classes). */
    private static int classes(ClassifierOptions opt, int maxLabel, String source) {
        if (opt.classes() > 0) {
            return opt.classes();
        }
        if (maxLabel < 1) {
            throw new DataException(source + ": every label is " + Math.max(maxLabel, 0) + "; a classifier needs two"
                    + " classes (set " + TrainKey.MODEL_CLASSES.key() + " when the data lacks some)");
        }
        return maxLabel + 1;
    }

    private static void checkLabels(IdxImages files, int classes) {
        long above = Arrays.stream(files.labels()).filter(l -> l >= classes).count();
        if (above > 0) {
            throw new DataException("the labels of " + files.source() + ": " + above + " of " + files.n() + " are >= "
                    + TrainKey.MODEL_CLASSES.key() + " = " + classes + " (the largest is " + files.maxLabel() + ")");
        }
    }

    /**
     * The listed images cut into p blocks, each cut by its task from the broadcast files (persisted): a task then
     * carries a partition number, not its images, also on every later pass over the cached blocks.
     */
    private static JavaRDD<ImageBlock> blocks(JavaSparkContext jsc, Broadcast<IdxImages> files,
                                              Broadcast<int[]> images, int p) {
        List<Integer> parts = java.util.stream.IntStream.range(0, p).boxed().toList();
        JavaRDD<ImageBlock> rdd = jsc.parallelize(parts, p)
                .map(k -> ImageBlock.slice(files.value(), images.value(), k, p))
                .persist(StorageLevel.MEMORY_AND_DISK());
        rdd.count();
        return rdd;
    }

    private static long[] units(JavaRDD<ImageBlock> blocks) {
        return blocks.map(b -> (long) b.units()).collect().stream().mapToLong(Long::longValue).toArray();
    }
}
