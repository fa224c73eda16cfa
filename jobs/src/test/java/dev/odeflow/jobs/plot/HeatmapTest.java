package dev.odeflow.jobs.plot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeatmapTest {

    @Test
    void gaussianDensityPngIsDecodableSizedAndNotBlank(@TempDir Path dir) throws Exception {
        int n = 40;
        PlotBounds b = new PlotBounds(-3, 3, -3, 3);
        double[] p = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double x = b.x(i, n);
                double y = b.y(j, n);
                p[j * n + i] = Math.exp(-0.5 * (x * x + y * y));
            }
        }
        Path png = dir.resolve("density.png");
        FlowPictures.writePng(Heatmap.render(p, n, 3), dev.odeflow.driver.output.OutputStore.local(dir), "density.png");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(120, img.getWidth());
        assertEquals(120, img.getHeight());
        // centre is the brightest color, the corner the darkest
        assertEquals(ColorMap.rgb(1), img.getRGB(60, 60) & 0xFFFFFF);
        assertEquals(ColorMap.rgb(0), img.getRGB(0, 0) & 0xFFFFFF);
        Set<Integer> colors = new HashSet<>();
        for (int y = 0; y < 120; y += 3) {
            for (int x = 0; x < 120; x += 3) {
                colors.add(img.getRGB(x, y));
            }
        }
        assertTrue(colors.size() > 20, "a Gaussian bump has many shades, got " + colors.size());
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary files left behind");
        }
    }

    @Test
    void histogramCountsPointsInTheRightCells() {
        PlotBounds b = new PlotBounds(0, 4, 0, 4);
        double[] xy = {0.5, 3.5, 0.6, 3.9, 3.5, 0.5, 10, 10};
        double[] h = Heatmap.histogram(xy, 4, b, 4);
        assertEquals(2, h[0]);           // top-left
        assertEquals(1, h[3 * 4 + 3]);   // bottom-right
        double total = 0;
        for (double v : h) {
            total += v;
        }
        assertEquals(3, total, "the point outside the bounds is dropped");
        assertNotEquals(ColorMap.rgb(0), ColorMap.rgb(0.5));
    }
}
