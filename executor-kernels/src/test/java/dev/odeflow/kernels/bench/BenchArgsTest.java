package dev.odeflow.kernels.bench;

import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.trace.Divergence;
import dev.odeflow.kernels.gradient.GradientMethod;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchArgsTest {

    @Test
    void casesCarryTheirShapeAndTraceUnlessOverridden() {
        BenchArgs toy = BenchArgs.parse(new String[] {});
        assertEquals(BenchCase.FFJORD_TOY, toy.benchCase());
        assertEquals(Divergence.EXACT, toy.divergence());
        assertEquals(GradientMethod.BACKSOLVE_ADJOINT, toy.gradient());
        assertEquals(Precision.FLOAT64, toy.precision());
        assertEquals(Precision.FLOAT32, BenchArgs.parse(new String[] {"precision=float32"}).precision());
        BenchArgs wide = BenchArgs.parse(new String[] {"case=miniboone", "gradient=direct", "divergence=rademacher"});
        assertEquals(43, wide.benchCase().architecture().dim());
        assertEquals(860, wide.benchCase().architecture().hidden()[0]);
        assertEquals(Divergence.RADEMACHER, wide.divergence());
        assertEquals(GradientMethod.DIRECT_BACKPROP, wide.gradient());
        assertEquals(Divergence.GAUSSIAN, BenchArgs.parse(new String[] {"case=tabular-16"}).divergence());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchArgs.parse(new String[] {"case=power"}));
        assertTrue(e.getMessage().contains("power"), e.getMessage());
    }

    @Test
    void aTabularIterationReportsItsWork() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BenchMain.run(new String[] {"case=tabular-16", "what=iteration", "steps=2", "batch=8", "gradient=direct",
                "precision=float32"},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String line = out.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains("\"case\":\"tabular-16\"") && line.contains("\"divergence\":\"gaussian\"")
                && line.contains("\"gradient\":\"direct\"") && line.contains("\"precision\":\"float32\""), line);
        assertTrue(line.contains("\"nfe_forward\":8,"), "2 rk4 steps x 4 stages: " + line);
    }

    @Test
    void theProductCaseReportsBothKernelsPerShapeAndRefusesABadShape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BenchMain.run(new String[] {"case=product", "shape=8x5x3,4x4x4", "runs=1", "precision=float64"},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].contains("\"shape\":\"8x5x3\"") && lines[0].contains("\"precision\":\"float64\"")
                && lines[0].contains("\"mul_gflops\":") && lines[0].contains("\"mul_add_transposed_gflops\":"),
                lines[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchMain.run(new String[] {"case=product", "shape=8x5"}, new PrintStream(out)));
        assertTrue(e.getMessage().contains("8x5"), e.getMessage());
    }
}
