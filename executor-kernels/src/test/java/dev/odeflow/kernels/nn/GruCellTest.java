package dev.odeflow.kernels.nn;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One GRU step against PyTorch's GRUCell equations written out per gate, and the mask's held rows. */
class GruCellTest {

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void aStepFollowsPytorchsGateOrderAndAnInactiveRowKeepsItsState() {
        int in = 3;
        int h = 2;
        GruCell cell = new GruCell("gru", in, h);
        assertEquals(3 * h * in + 3 * h * h + 6 * h, cell.size());
        double[] theta = new double[cell.size()];
        cell.initialize(theta, 0, new SplittableRandom(4));
        double[] x = {0.3, -1.2, 0.8, 5, 5, 5};
        double[] h0 = {0.1, -0.4, 0.7, 0.2};
        double[] next = cell.run(theta, 0, 2, h0).step(x, new boolean[] {true, false});
        int wih = 0;
        int whh = 3 * h * in;
        int bih = whh + 3 * h * h;
        int bhh = bih + 3 * h;
        for (int j = 0; j < h; j++) {
            double[] ai = new double[3];
            double[] ah = new double[3];
            for (int gate = 0; gate < 3; gate++) {
                int row = gate * h + j;
                ai[gate] = theta[bih + row];
                ah[gate] = theta[bhh + row];
                for (int k = 0; k < in; k++) {
                    ai[gate] += theta[wih + row * in + k] * x[k];
                }
                for (int k = 0; k < h; k++) {
                    ah[gate] += theta[whh + row * h + k] * h0[k];
                }
            }
            double r = sigmoid(ai[0] + ah[0]);
            double z = sigmoid(ai[1] + ah[1]);
            double n = Math.tanh(ai[2] + r * ah[2]);
            assertEquals((1 - z) * n + z * h0[j], next[j], 1e-14);
            assertEquals(h0[h + j], next[h + j], 0.0);
        }
    }
}
