package dev.odeflow.jobs.train;

import dev.odeflow.driver.CnfTrainer;
import dev.odeflow.driver.TrainResult;
import dev.odeflow.driver.conf.JobConf;
import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.driver.data.Standardization;
import dev.odeflow.jobs.model.FeatureScaling;
import dev.odeflow.jobs.model.SavedFlow;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The jobs module's only use of the driver's trainer: job files in, a {@link SavedFlow} out. */
public final class DriverTraining {

    private DriverTraining() {
    }

    /** Every key a job file may set: the driver's training keys and {@link JobsKey}. */
    public static Set<String> knownKeys() {
        Set<String> keys = new HashSet<>(TrainKey.names());
        keys.addAll(JobsKey.names());
        return keys;
    }

    /** Reads a job file (null for none) with key=value overrides. */
    public static JobConf load(Path jobFile, List<String> overrides) {
        return JobConf.load(jobFile, overrides, knownKeys());
    }

    /** Trains with the driver and returns the flow as it will be saved. */
    public static SavedFlow train(SparkSession spark, TrainConfig config) {
        TrainResult r = CnfTrainer.train(spark, config);
        Standardization s = r.standardization();
        int dim = r.model().dim();
        List<String> columns = config.data().isToy() || config.data().columns().isEmpty()
                ? tableColumns(spark, config, dim) : config.data().columns();
        return new SavedFlow(r.model(), r.w(), new FeatureScaling(s.mean(), s.std()), columns);
    }

    /** A table's column names when the job modelled all of them; x0.. for toys. */
    private static List<String> tableColumns(SparkSession spark, TrainConfig config, int dim) {
        if (config.data().isToy()) {
            return SavedFlow.defaultColumns(dim);
        }
        var reader = spark.read();
        String path = config.data().path();
        String[] names = switch (config.data().format()) {
            case CSV -> reader.option("header", "true").csv(path).schema().fieldNames();
            case PARQUET -> reader.parquet(path).schema().fieldNames();
        };
        return names.length == dim ? List.of(names) : SavedFlow.defaultColumns(dim);
    }
}
