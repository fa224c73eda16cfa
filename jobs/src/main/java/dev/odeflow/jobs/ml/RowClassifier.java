package dev.odeflow.jobs.ml;

import dev.odeflow.driver.train.ClassifierObjective;
import dev.odeflow.kernels.classifier.Classification;
import dev.odeflow.kernels.classifier.ClassifierModel;
import dev.odeflow.kernels.classifier.ImageBatch;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * One partition's rows with the model's prediction and class probabilities (the softmax of its logits) added,
 * classified as many at a time as training's evaluation takes ({@link ClassifierObjective#chunkImages}) with the
 * evaluation solver; the rows come out in their order, with
 * their columns but the dropped one. The pixels are an array of integers 0–255 or a byte string.
 *
 * @param model   the classifier
 * @param weights its parameters
 * @param pixels  the index of the pixel column
 * @param drop    whether the pixel column is left out of the output rows
 */
record RowClassifier(ClassifierModel model, double[] weights, int pixels, boolean drop)
        implements FlatMapFunction<Iterator<Row>, Row> {

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private final List<Row> done = new ArrayList<>();
            private final int chunkImages = ClassifierObjective.chunkImages(model.arch());
            private ClassifierModel.BatchClassifier classifier; // one evaluation pass for the partition's chunks
            private int next;

            @Override
            public boolean hasNext() {
                if (next == done.size()) {
                    done.clear();
                    next = 0;
                    List<Row> chunk = new ArrayList<>();
                    while (rows.hasNext() && chunk.size() < chunkImages) {
                        chunk.add(rows.next());
                    }
                    if (!chunk.isEmpty()) {
                        if (classifier == null) {
                            classifier = model.classifier(weights, chunkImages);
                        }
                        done.addAll(classify(chunk, classifier));
                    }
                }
                return next < done.size();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return done.get(next++);
            }
        };
    }

    private List<Row> classify(List<Row> chunk, ClassifierModel.BatchClassifier classifier) {
        int size = model.arch().input().size();
        byte[] table = new byte[chunk.size() * size];
        int[] index = new int[chunk.size()];
        for (int i = 0; i < chunk.size(); i++) {
            Object v = chunk.get(i).get(pixels);
            if (v instanceof byte[] b) {
                System.arraycopy(b, 0, table, i * size, size);
            } else {
                List<Object> values = chunk.get(i).getList(pixels);
                for (int j = 0; j < size; j++) {
                    table[i * size + j] = (byte) ((Number) values.get(j)).intValue();
                }
            }
            index[i] = i;
        }
        Classification c = classifier.classify(ImageBatch.ofBytes(model.arch().input(), table, null, index));
        int k = model.arch().classes();
        List<Row> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            Row r = chunk.get(i);
            List<Object> values = new ArrayList<>(r.size() + 2);
            for (int f = 0; f < r.size(); f++) {
                if (!drop || f != pixels) {
                    values.add(r.get(f));
                }
            }
            values.add(c.predicted()[i]);
            values.add(softmax(c.logits(), i * k, k));
            out.add(RowFactory.create(values.toArray()));
        }
        return out;
    }

    /** The softmax of logits[from, from + k), stable against large logits. */
    static double[] softmax(double[] logits, int from, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, logits[from + j]);
        }
        double[] p = new double[k];
        double sum = 0;
        for (int j = 0; j < k; j++) {
            p[j] = Math.exp(logits[from + j] - max);
            sum += p[j];
        }
        for (int j = 0; j < k; j++) {
            p[j] /= sum;
        }
        return p;
    }
}
