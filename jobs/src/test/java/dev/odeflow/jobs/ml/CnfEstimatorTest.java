package dev.odeflow.jobs.ml;

import dev.odeflow.jobs.model.SavedFlow;
import dev.odeflow.jobs.model.TinyFlows;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CnfEstimatorTest {

    static SparkSession spark;
    static Dataset<Row> table;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("CnfEstimatorTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("a", DataTypes.DoubleType)
                .add("b", DataTypes.DoubleType).add("v", new VectorUDT());
        Random rng = new Random(4);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            double a = 3 + 2 * rng.nextGaussian();
            double b = -1 + 0.5 * rng.nextGaussian() + 0.3 * a;
            rows.add(RowFactory.create(i, a, b, Vectors.dense(a, b)));
        }
        table = spark.createDataFrame(rows, schema).repartition(2);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static CnfEstimator tiny() {
        return new CnfEstimator().setIterations(3).setBatchSize(64).setSetting("model.hidden", "8")
                .setSetting("solver.method", "rk4").setSetting("solver.steps", 2).setSetting("gradient", "direct")
                .setSetting("partitions", 2).setSeed(9)
                .setSettings("eval.method=rk4", "eval.steps=2", "log.every=1", TinyFlows.CPU);
    }

    @Test
    void fitTransformSaveLoad() throws Exception {
        CnfFlowModel model = tiny().setInputCols("a", "b").fit(table);
        SavedFlow flow = model.flow();
        assertEquals(2, flow.dim());
        assertEquals(dev.odeflow.kernels.backend.BackendKind.CPU, flow.model().settings().backend());
        assertEquals(List.of("a", "b"), flow.columns());
        assertNotEquals(0.0, flow.scaling().mean()[0], "the driver standardized the table");

        List<Row> scored = model.transform(table).orderBy("id").collectAsList();
        assertEquals(400, scored.size());
        double[] x = new double[2 * 5];
        for (int i = 0; i < 5; i++) {
            x[2 * i] = scored.get(i).getDouble(1);
            x[2 * i + 1] = scored.get(i).getDouble(2);
        }
        double[] expected = flow.logLikelihood(x, 5);
        int ll = scored.get(0).fieldIndex("log_likelihood");
        for (int i = 0; i < 5; i++) {
            assertEquals(expected[i], scored.get(i).getDouble(ll), 1e-12 * Math.abs(expected[i]));
        }

        String path = tmp.resolve("saved-model").toString();
        model.write().overwrite().save(path);
        assertTrue(Files.isRegularFile(tmp.resolve("saved-model/flow/weights.safetensors")));
        CnfFlowModel back = CnfFlowModel.load(path);
        assertEquals(model.uid(), back.uid());
        assertArrayEquals(new String[] {"a", "b"}, back.getOrDefault(back.inputCols()));
        assertArrayEquals(flow.weights(), back.flow().weights());
        List<Row> again = back.transform(table).orderBy("id").limit(5).collectAsList();
        for (int i = 0; i < 5; i++) {
            assertEquals(scored.get(i).getDouble(ll), again.get(i).getDouble(ll));
        }

        CnfFlowModel again2 = tiny().setInputCols("a", "b").fit(table);
        assertArrayEquals(flow.weights(), again2.flow().weights(), "same seed, same data: same weights");
    }

    @Test
    void vectorFeaturesAndNullRows() {
        CnfFlowModel model = tiny().setFeaturesCol("v").setLogLikelihoodCol("lp").fit(table);
        assertEquals(List.of("f0", "f1"), model.flow().columns());
        Dataset<Row> out = model.transform(table);
        assertEquals(List.of("id", "a", "b", "v", "lp"), List.of(out.columns()));
        assertEquals(0, out.filter("lp IS NULL").count());

        StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType);
        Dataset<Row> withNaN = spark.createDataFrame(List.of(RowFactory.create(1.0, Double.NaN),
                RowFactory.create(3.0, null), RowFactory.create(3.0, 0.0)), schema);
        CnfFlowModel byCols = model.copy(new org.apache.spark.ml.param.ParamMap()).setInputCols("a", "b");
        List<Row> r = byCols.transform(withNaN).collectAsList();
        assertNull(r.get(0).get(2));
        assertNull(r.get(1).get(2));
        assertTrue(Double.isFinite(r.get(2).getDouble(2)));
    }

    @Test
    void badColumnsAndParamsAreRejected() throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> tiny().setInputCols("a", "zzz").fit(table));
        assertTrue(missing.getMessage().contains("'zzz'"), missing.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> tiny().setFeaturesCol("a").fit(table));
        assertTrue(type.getMessage().contains("expected a vector"), type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tiny().setValidationFraction(1.5)
                .driverSettings("p", List.of("a")));

        CnfEstimator est = tiny().setInputCols("a", "b").setSetting("optim.lr", 0.01);
        String path = tmp.resolve("saved-estimator").toString();
        est.write().overwrite().save(path);
        CnfEstimator back = CnfEstimator.load(path);
        assertEquals(est.uid(), back.uid());
        assertEquals(est.driverSettings("p", List.of("a", "b")), back.driverSettings("p", List.of("a", "b")));
        assertTrue(back.driverSettings("p", List.of("a")).contains("optim.lr=0.01"));
    }

    /** Every training setting is a param named and typed as its job key, with the key's default and doc. */
    @Test
    void paramsAreTheJobKeys() {
        CnfEstimator est = new CnfEstimator();
        for (dev.odeflow.driver.conf.TrainKey k : dev.odeflow.driver.conf.TrainKey.values()) {
            if (TrainingParams.DATA_KEYS.contains(k)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> est.setting(k.key()));
                assertTrue(e.getMessage().contains("set from the DataFrame"), e.getMessage());
                continue;
            }
            if (TrainingParams.OTHER_KIND_KEYS.contains(k)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> est.setting(k.key()));
                assertTrue(e.getMessage().contains("not a setting of the CNF estimator"), e.getMessage());
                continue;
            }
            org.apache.spark.ml.param.Param<?> p = est.setting(k.key());
            assertEquals(k.key(), p.name());
            assertTrue(est.hasParam(k.key()), k.key());
            assertEquals(k.doc(), p.doc());
            Class<?> expected = switch (k.type()) {
                case INTEGER -> org.apache.spark.ml.param.IntParam.class;
                case LONG -> org.apache.spark.ml.param.LongParam.class;
                case NUMBER -> org.apache.spark.ml.param.DoubleParam.class;
                case BOOLEAN -> org.apache.spark.ml.param.BooleanParam.class;
                case TEXT, LIST -> org.apache.spark.ml.param.Param.class;
            };
            assertEquals(expected, p.getClass(), k.key());
            if (!k.defaultValue().isEmpty()) {
                Object typed = switch (k.type()) {
                    case INTEGER -> Integer.parseInt(k.defaultValue());
                    case LONG -> Long.parseLong(k.defaultValue());
                    case NUMBER -> Double.parseDouble(k.defaultValue());
                    case BOOLEAN -> Boolean.parseBoolean(k.defaultValue());
                    case TEXT, LIST -> k.defaultValue();
                };
                assertEquals(typed, est.getOrDefault(p), k.key());
            }
        }
        assertEquals(0.5, est.getOrDefault(est.setting("model.T")));
        assertEquals(100, est.getOrDefault(est.setting("batch_size")));
        assertTrue(est.explainParams().contains("solver.rtol: Training solver relative tolerance"),
                est.explainParams());

        est.setSetting("solver.rtol", "2e-4").setSetting("model.train_T", "no").setSetting("solver.max_nfe", 7);
        List<String> kv = est.driverSettings("p", List.of("a"));
        assertTrue(kv.contains("solver.rtol=2.0E-4") && kv.contains("model.train_T=false")
                && kv.contains("solver.max_nfe=7"), kv.toString());
        assertTrue(kv.stream().noneMatch(s -> s.startsWith("solver.atol=")), "only the params set are passed");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> est.setSetting("solver.rtol", "tight"));
        assertEquals("setting solver.rtol must be a number, got 'tight'", bad.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> est.setSetting("rtol", 1e-3));
        assertTrue(unknown.getMessage().startsWith("unknown setting 'rtol'"), unknown.getMessage());
    }
}
