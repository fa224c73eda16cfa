package dev.odeflow.jobs.train;

import dev.odeflow.driver.data.SeriesBlock;
import dev.odeflow.driver.output.OutputStore;
import dev.odeflow.jobs.model.ClassifierModelJson;
import dev.odeflow.jobs.model.LatentModelJson;
import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedClassifier;
import dev.odeflow.jobs.model.SavedFlow;
import dev.odeflow.jobs.model.SavedLatent;
import dev.odeflow.jobs.model.SavedSeries;
import dev.odeflow.jobs.model.SavedTrajectory;
import dev.odeflow.jobs.model.TensorDtype;
import dev.odeflow.jobs.model.TrajectoryModelJson;
import dev.odeflow.jobs.plot.FlowPictures;
import dev.odeflow.jobs.plot.LatentPictures;
import dev.odeflow.jobs.plot.PlotBounds;
import dev.odeflow.jobs.plot.TrajectoryPictures;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a training run leaves in its output directory: {@code model/} and, for 2-D data, {@code density.png} and
 * {@code samples.png} (a CNF), {@code phase.png} and {@code trajectories.png} (a trajectory fit) or
 * {@code reconstructions.png} (a latent ODE); an image classifier writes its model alone.
 *
 * @param weightsDtype  element type of the saved weights
 * @param pictures      whether to draw pictures (2-D models only)
 * @param pictureSamples samples in samples.png
 * @param pictureGrid   cells per side of the pictures
 */
public record TrainOutputs(TensorDtype weightsDtype, boolean pictures, int pictureSamples, int pictureGrid) {

    public static final String MODEL_DIR = "model";
    public static final String DENSITY_PNG = "density.png";
    public static final String SAMPLES_PNG = "samples.png";
    public static final String PHASE_PNG = "phase.png";
    public static final String TRAJECTORIES_PNG = "trajectories.png";
    public static final String RECONSTRUCTIONS_PNG = "reconstructions.png";
    /** Pixels per side of each series' panel in reconstructions.png. */
    private static final int LATENT_PANEL = 400;

    public TrainOutputs {
        if (weightsDtype == null || pictureSamples < 1 || pictureGrid < 2) {
            throw new IllegalArgumentException("need a weights dtype, plots.samples >= 1 and plots.grid >= 2");
        }
    }

    /**
     * The jobs-module settings of a job ({@link JobsKey}), defaults for the keys it does not set.
     *
     * @throws IllegalArgumentException naming the key of a bad value
     */
    public static TrainOutputs from(java.util.Map<String, String> conf) {
        TensorDtype dtype = TensorDtype.parse(get(conf, JobsKey.WEIGHTS_DTYPE));
        String plots = get(conf, JobsKey.PLOTS).trim();
        if (!plots.equals("true") && !plots.equals("false")) {
            throw new IllegalArgumentException(JobsKey.PLOTS.key() + " must be true or false, got '" + plots + "'");
        }
        return new TrainOutputs(dtype, plots.equals("true"), integer(conf, JobsKey.PLOTS_SAMPLES),
                integer(conf, JobsKey.PLOTS_GRID));
    }

    private static int integer(java.util.Map<String, String> conf, JobsKey key) {
        String v = get(conf, key).trim();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key.key() + " must be an integer, got '" + v + "'");
        }
    }

    private static String get(java.util.Map<String, String> conf, JobsKey key) {
        return conf.getOrDefault(key.key(), key.defaultValue());
    }

    /**
     * Writes a time-series model's outputs into {@code dir}, the pictures (2-D only) showing the series
     * {@code shown}; returns the locations written.
     */
    public List<String> write(OutputStore dir, SavedSeries model, SeriesBlock shown) throws IOException {
        if (model instanceof SavedTrajectory t) {
            return write(dir, t, shown);
        }
        return write(dir, (SavedLatent) model, shown);
    }

    private List<String> write(OutputStore dir, SavedTrajectory model, SeriesBlock shown) throws IOException {
        List<String> written = new ArrayList<>();
        ModelDirectory.write(dir, MODEL_DIR, TrajectoryModelJson.encode(model, weightsDtype));
        written.add(dir.path(MODEL_DIR).toString());
        if (pictures && model.model().dim() == 2) {
            TrajectoryPictures pics = TrajectoryPictures.of(shown, pictureGrid, Math.max(1, 600 / pictureGrid));
            double[][] predicted = pics.predictions(model);
            FlowPictures.writePng(pics.phasePortrait(model, predicted), dir, PHASE_PNG);
            written.add(dir.path(PHASE_PNG).toString());
            FlowPictures.writePng(pics.trajectories(predicted), dir, TRAJECTORIES_PNG);
            written.add(dir.path(TRAJECTORIES_PNG).toString());
        }
        return written;
    }

    private List<String> write(OutputStore dir, SavedLatent model, SeriesBlock shown) throws IOException {
        List<String> written = new ArrayList<>();
        ModelDirectory.write(dir, MODEL_DIR, LatentModelJson.encode(model, weightsDtype));
        written.add(dir.path(MODEL_DIR).toString());
        if (pictures && model.model().arch().dim() == 2) {
            LatentPictures pics = new LatentPictures(shown, LATENT_PANEL);
            FlowPictures.writePng(pics.reconstructions(model), dir, RECONSTRUCTIONS_PNG);
            written.add(dir.path(RECONSTRUCTIONS_PNG).toString());
        }
        return written;
    }

    /** Writes an image classifier's model directory into {@code dir}; returns its location. */
    public List<String> write(OutputStore dir, SavedClassifier model) throws IOException {
        ModelDirectory.write(dir, MODEL_DIR, ClassifierModelJson.encode(model, weightsDtype));
        return List.of(dir.path(MODEL_DIR).toString());
    }

    /** Writes the outputs into {@code dir} and returns the locations written. */
    public List<String> write(OutputStore dir, SavedFlow flow) throws IOException {
        List<String> written = new ArrayList<>();
        ModelDirectory.write(dir, MODEL_DIR, flow, weightsDtype);
        written.add(dir.path(MODEL_DIR).toString());
        if (pictures && flow.dim() == 2) {
            double[] xy = FlowPictures.drawSamples(flow, pictureSamples, 1);
            FlowPictures pics = new FlowPictures(PlotBounds.covering(xy, pictureSamples, 0.1), pictureGrid,
                    Math.max(1, 300 / pictureGrid));
            FlowPictures.writePng(pics.density(flow), dir, DENSITY_PNG);
            written.add(dir.path(DENSITY_PNG).toString());
            FlowPictures.writePng(pics.histogram(xy, pictureSamples), dir, SAMPLES_PNG);
            written.add(dir.path(SAMPLES_PNG).toString());
        }
        return written;
    }
}
