package dev.odeflow.driver;

import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.metrics.MetricsWriter;
import dev.odeflow.kernels.latent.LatentOdeModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The latent ODE on the bi-directional spirals, shortened (conf/jobs/latent-ode-spirals.conf with 300 spirals and 200
 * iterations): its ELBO improves, and on held-out spirals it extrapolates better than the RNN baseline trained
 * with the same encoder, decoder and budget (Chen et al. 2018 §5.1's comparison).
 */
class SeriesTrainerLatentTest {

    private static TrainConfig spirals(Path dir, String dynamics, int iterations) {
        return CpuConfigs.fromOverrides("model.kind=latent_ode", "data=toy:bispirals", "data.n=300",
                "data.splits=0.7,0,0.3", "model.latent=4", "model.encoder_hidden=25", "model.hidden=20,20",
                "model.decoder_hidden=20", "model.activation=elu", "model.noise=0.3", "model.context=0.5",
                "model.dynamics=" + dynamics, "solver.method=rk4", "solver.steps=1", "gradient=adjoint",
                "eval.method=dopri5", "eval.rtol=1e-6", "eval.atol=1e-6", "optim.lr=1e-2", "optim.weight_decay=0",
                "batch_size=50", "partitions=2", "seed=0", "log.every=100", "iterations=" + iterations,
                "output.dir=" + dir);
    }

    @Test
    void theElboImprovesAndTheLatentOdeExtrapolatesBetterThanTheRnnBaseline(@TempDir Path dir) throws Exception {
        List<String> console = new ArrayList<>();
        SeriesResult<LatentOdeModel> ode = SeriesTrainer.latent(SparkTestSession.get(),
                spirals(dir.resolve("ode"), "ode", 200), console::add);
        SeriesResult<LatentOdeModel> gru = SeriesTrainer.latent(SparkTestSession.get(),
                spirals(dir.resolve("gru"), "gru", 200), console::add);
        List<String> lines = Files.readAllLines(dir.resolve("ode").resolve(MetricsWriter.FILE_NAME));
        assertEquals(200, lines.size());
        double first = loss(lines.get(0));
        double last = 0;
        for (String l : lines.subList(150, 200)) {
            last += loss(l) / 50;
        }
        assertTrue(last < first / 4, "negative ELBO per series: " + first + " at the start, " + last
                + " over the last 50 iterations");
        double odeExtrap = ode.metric("extrap_rmse")[2];
        double gruExtrap = gru.metric("extrap_rmse")[2];
        double odeInterp = ode.metric("interp_rmse")[2];
        assertTrue(odeExtrap < 0.8 * gruExtrap, "test extrapolation RMSE: latent ODE " + odeExtrap + ", RNN "
                + gruExtrap);
        assertTrue(odeInterp < 0.9 && odeExtrap < 0.9, "test RMSE of the latent ODE: interpolation " + odeInterp
                + ", extrapolation " + odeExtrap + " (the noise is 0.3; about 0.7 after 200 iterations)");
        assertTrue(console.stream().anyMatch(l -> l.startsWith("odeflow done: 200 iterations")
                && l.contains("interp RMSE train") && l.contains("; extrap RMSE train")), console.toString());
    }

    private static double loss(String jsonLine) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"loss\":([-0-9.eE+]+)").matcher(jsonLine);
        assertTrue(m.find(), jsonLine);
        return Double.parseDouble(m.group(1));
    }
}
