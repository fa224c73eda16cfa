package dev.odeflow.kernels.classifier;

import dev.odeflow.kernels.nn.Layer;
import dev.odeflow.kernels.nn.Linear;
import dev.odeflow.kernels.nn.MapShape;
import dev.odeflow.kernels.nn.Relu;
import dev.odeflow.kernels.nn.Sequential;

import java.util.List;

/**
 * The networks of the seeds' MNIST table, named as PyTorch names their modules. The 1-layer MLP is
 * {@code Sequential(Flatten(), Linear(784, 300), ReLU(), Linear(300, 10))}.
 */
final class ClassifierNetworks {

    private ClassifierNetworks() {
    }

    static Sequential build(ClassifierArchitecture a, OdeBlock.Solve solve) {
        return switch (a.block()) {
            case MLP -> mlp(a);
            case ODE, RESNET -> throw new UnsupportedOperationException("the convolutional blocks are not built yet");
        };
    }

    private static Sequential mlp(ClassifierArchitecture a) {
        Linear hidden = new Linear("1", a.input(), a.hidden());
        return new Sequential(List.<Layer>of(hidden, new Relu(hidden.out()),
                new Linear("3", MapShape.vector(a.hidden()), a.classes())));
    }
}
