package dev.odeflow.kernels.classifier;

import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.nn.Conv2d;
import dev.odeflow.kernels.nn.GlobalAveragePool;
import dev.odeflow.kernels.nn.GroupNorm;
import dev.odeflow.kernels.nn.Layer;
import dev.odeflow.kernels.nn.Linear;
import dev.odeflow.kernels.nn.MapShape;
import dev.odeflow.kernels.nn.Relu;
import dev.odeflow.kernels.nn.Residual;
import dev.odeflow.kernels.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * The networks of the seeds' MNIST table, named as PyTorch names the modules of torchdiffeq's
 * {@code odenet_mnist.py} ({@code --downsampling-method conv}):
 * <pre>
 * Sequential(Conv2d(1, 64, 3, 1), norm(64), ReLU, Conv2d(64, 64, 4, 2, 1), norm(64), ReLU, Conv2d(64, 64, 4, 2, 1),
 *            feature layers,
 *            norm(64), ReLU, AdaptiveAvgPool2d((1, 1)), Flatten(), Linear(64, 10))
 * </pre>
 * with norm(c) = GroupNorm(min(32, c), c) and the feature layers either one {@code ODEBlock(ODEfunc(64))}
 * (index 7: {@code 7.odefunc.norm1 … 7.odefunc.conv2._layer … 7.odefunc.norm3}) or six
 * {@code ResBlock(64, 64)} (indices 7–12: {@code norm1, conv1, norm2, conv2}, convolutions without bias). The
 * 1-layer MLP is {@code Sequential(Flatten(), Linear(784, 300), ReLU(), Linear(300, 10))}. On MNIST: ODE-Net and
 * RK-Net 208,266 parameters, ResNet 576,778, MLP 238,510 (the seeds' table: 0.22 M, 0.60 M, 0.24 M).
 */
final class ClassifierNetworks {

    /** How many residual blocks the ResNet has (odenet_mnist.py: 6). */
    static final int RESIDUAL_BLOCKS = 6;

    private ClassifierNetworks() {
    }

    /** The network of a's block, its products in precision p (the model's training or evaluation arithmetic). */
    static Sequential build(ClassifierArchitecture a, OdeBlock.Solve solve, Precision p) {
        return switch (a.block()) {
            case MLP -> mlp(a, p);
            case ODE, RESNET -> convolutional(a, solve, p);
        };
    }

    private static Sequential mlp(ClassifierArchitecture a, Precision p) {
        Linear hidden = new Linear("1", a.input(), a.hidden(), p);
        return new Sequential(List.<Layer>of(hidden, new Relu(hidden.out()),
                new Linear("3", MapShape.vector(a.hidden()), a.classes(), p)));
    }

    private static Sequential convolutional(ClassifierArchitecture a, OdeBlock.Solve solve, Precision p) {
        int c = a.channels();
        List<Layer> layers = new ArrayList<>();
        Conv2d first = new Conv2d("0", a.input(), c, 3, 1, 0, true, false, p);
        layers.add(first);
        MapShape s = first.out();
        layers.add(GroupNorm.torch("1", s));
        layers.add(new Relu(s));
        Conv2d down = new Conv2d("3", s, c, 4, 2, 1, true, false, p);
        layers.add(down);
        s = down.out();
        layers.add(GroupNorm.torch("4", s));
        layers.add(new Relu(s));
        Conv2d down2 = new Conv2d("6", s, c, 4, 2, 1, true, false, p);
        layers.add(down2);
        s = down2.out();
        int next = 7;
        if (a.block() == ClassifierBlock.ODE) {
            layers.add(new OdeBlock(odeFunc(next + ".odefunc", s, p), a.endTime(), solve));
            next++;
        } else {
            for (int b = 0; b < RESIDUAL_BLOCKS; b++) {
                layers.add(new Residual(residualBranch(String.valueOf(next), s, p)));
                next++;
            }
        }
        layers.add(GroupNorm.torch(String.valueOf(next), s));
        layers.add(new Relu(s));
        GlobalAveragePool pool = new GlobalAveragePool(s);
        layers.add(pool);
        layers.add(new Linear(String.valueOf(next + 4), pool.out(), a.classes(), p));
        return new Sequential(layers);
    }

    /** odenet_mnist.py's ODEfunc: norm, ReLU, ConcatConv2d, norm, ReLU, ConcatConv2d, norm. */
    private static Sequential odeFunc(String name, MapShape s, Precision p) {
        int c = s.channels();
        return new Sequential(List.of(GroupNorm.torch(name + ".norm1", s), new Relu(s),
                new Conv2d(name + ".conv1._layer", s, c, 3, 1, 1, true, true, p),
                GroupNorm.torch(name + ".norm2", s), new Relu(s),
                new Conv2d(name + ".conv2._layer", s, c, 3, 1, 1, true, true, p),
                GroupNorm.torch(name + ".norm3", s)));
    }

    /** odenet_mnist.py's ResBlock without its shortcut: norm, ReLU, conv3x3, norm, ReLU, conv3x3 (no bias). */
    private static Sequential residualBranch(String name, MapShape s, Precision p) {
        int c = s.channels();
        return new Sequential(List.of(GroupNorm.torch(name + ".norm1", s), new Relu(s),
                new Conv2d(name + ".conv1", s, c, 3, 1, 1, false, false, p),
                GroupNorm.torch(name + ".norm2", s), new Relu(s),
                new Conv2d(name + ".conv2", s, c, 3, 1, 1, false, false, p)));
    }
}
