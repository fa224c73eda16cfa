package dev.odeflow.jobs.train;

import dev.odeflow.jobs.model.ModelDirectory;
import dev.odeflow.jobs.model.SavedFlow;
import dev.odeflow.jobs.model.TensorDtype;
import dev.odeflow.jobs.plot.FlowPictures;
import dev.odeflow.jobs.plot.PlotBounds;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a training run leaves in its output directory: {@code model/} and, for 2-D data, {@code density.png} and
 * {@code samples.png}.
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

    public TrainOutputs {
        if (weightsDtype == null || pictureSamples < 1 || pictureGrid < 2) {
            throw new IllegalArgumentException("need a weights dtype, plots.samples >= 1 and plots.grid >= 2");
        }
    }

    /** Writes the outputs under {@code dir} and returns the paths written. */
    public List<Path> write(Path dir, SavedFlow flow) throws IOException {
        List<Path> written = new ArrayList<>();
        Path model = dir.resolve(MODEL_DIR);
        ModelDirectory.write(model, flow, weightsDtype);
        written.add(model);
        if (pictures && flow.dim() == 2) {
            double[] xy = FlowPictures.drawSamples(flow, pictureSamples, 1);
            FlowPictures pics = new FlowPictures(PlotBounds.covering(xy, pictureSamples, 0.1), pictureGrid,
                    Math.max(1, 300 / pictureGrid));
            Path density = dir.resolve(DENSITY_PNG);
            FlowPictures.writePng(pics.density(flow), density);
            written.add(density);
            Path samples = dir.resolve(SAMPLES_PNG);
            FlowPictures.writePng(pics.histogram(xy, pictureSamples), samples);
            written.add(samples);
        }
        return written;
    }
}
