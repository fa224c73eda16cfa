package dev.odeflow.kernels.classifier;

import dev.odeflow.kernels.dynamics.ParameterLayout;
import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.model.LossGradient;
import dev.odeflow.kernels.nn.Layer;
import dev.odeflow.kernels.nn.Sequential;
import dev.odeflow.kernels.nn.SoftmaxCrossEntropy;
import dev.odeflow.kernels.solver.SolverConfig;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The facade an executor calls to train and run an image classifier (torchdiffeq's {@code odenet_mnist.py}): the
 * network of {@link ClassifierNetworks} for the architecture's block, the summed softmax cross-entropy with its
 * gradient, and classification. The ODE block is solved with the training solver and differentiated by the
 * gradient method when training, and solved with the evaluation solver when classifying. Training's products run
 * in the architecture's precision, classification's in double. Immutable and serializable.
 */
public final class ClassifierModel implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ClassifierArchitecture arch;
    private final SolverConfig train;
    private final SolverConfig eval;
    private final GradientMethod gradient;
    private final AdjointOptions adjoint;
    private final Sequential training;
    private final Sequential evaluation;

    public ClassifierModel(ClassifierArchitecture arch, SolverConfig train, SolverConfig eval, GradientMethod gradient,
                           AdjointOptions adjoint) {
        if (arch == null || train == null || eval == null || gradient == null || adjoint == null) {
            throw new IllegalArgumentException("a classifier needs an architecture, two solvers, a gradient method"
                    + " and adjoint options");
        }
        this.arch = arch;
        this.train = train;
        this.eval = eval;
        this.gradient = gradient;
        this.adjoint = adjoint;
        this.training = ClassifierNetworks.build(arch, new OdeBlock.Solve(train, gradient, adjoint), arch.precision());
        this.evaluation = ClassifierNetworks.build(arch, new OdeBlock.Solve(eval, null, adjoint), Precision.FLOAT64);
    }

    public ClassifierArchitecture arch() {
        return arch;
    }

    public SolverConfig train() {
        return train;
    }

    public SolverConfig eval() {
        return eval;
    }

    public GradientMethod gradient() {
        return gradient;
    }

    public AdjointOptions adjoint() {
        return adjoint;
    }

    /** The network as it trains (its ODE block, if any, solved by the training solver). */
    public Sequential network() {
        return training;
    }

    public int parameterCount() {
        return training.size();
    }

    /** The named tensors of θ (PyTorch's names for odenet_mnist.py's modules). */
    public ParameterLayout layout() {
        return training.layout();
    }

    /** PyTorch's default initialization of every module, drawn from {@code seed}. */
    public double[] initialParameters(long seed) {
        double[] theta = new double[parameterCount()];
        training.initialize(theta, 0, new SplittableRandom(seed));
        return theta;
    }

    /** The summed cross-entropy of a labelled batch and its gradient w.r.t. θ. */
    public GradientStep gradientStep(double[] theta, ImageBatch batch) {
        int n = requireLabels(theta, batch);
        Layer.Pass pass = training.pass(theta, 0, n);
        double[] logits = pass.forward(batch.pixels(), 0);
        double[] dLogits = new double[logits.length];
        double loss = SoftmaxCrossEntropy.loss(logits, batch.labels(), n, arch.classes(), dLogits);
        double[] g = new double[theta.length];
        long kept = pass.keptBytes(); // before the backward pass releases the ODE block's solve
        pass.backward(dLogits, g, 0);
        return new GradientStep(loss, g, OdeBlock.forwardStats(pass), OdeBlock.backwardStats(pass), kept);
    }

    /** Adds the summed cross-entropy over the batch and its gradient into acc (count: the images; NFE: the solves). */
    public void addLossGradient(double[] theta, ImageBatch batch, LossGradient acc) {
        GradientStep s = gradientStep(theta, batch);
        acc.add(s.lossSum(), s.gradient(), batch.n(), s.forward().nfe(), s.backward().nfe(),
                s.forward().accepted() + s.backward().accepted(), s.forward().rejected() + s.backward().rejected());
    }

    /** Classifies a batch with the evaluation solver; the loss and errors too when it has labels. */
    public Classification classify(double[] theta, ImageBatch batch) {
        return classifier(theta, batch.n()).classify(batch);
    }

    /**
     * A classifier of batches under θ for one thread that keeps one evaluation pass of {@code n} images (the weights
     * copied out and the layers' buffers allocated once) for every batch of that size: a block evaluated in chunks
     * allocates once, not per chunk. A batch of another size gets a pass of its own.
     */
    public BatchClassifier classifier(double[] theta, int n) {
        if (theta.length != parameterCount()) {
            throw new IllegalArgumentException("parameter vector has " + theta.length + " entries, the "
                    + arch.block().label() + " classifier needs " + parameterCount());
        }
        return new BatchClassifier(theta, evaluation.pass(theta, 0, n), n);
    }

    /** One thread's classifications under fixed parameters ({@link #classifier}). */
    public final class BatchClassifier {
        private final double[] theta;
        private final Layer.Pass pass;
        private final int n;

        private BatchClassifier(double[] theta, Layer.Pass pass, int n) {
            this.theta = theta;
            this.pass = pass;
            this.n = n;
        }

        /** Classifies a batch with the evaluation solver; the loss and errors too when it has labels. */
        public Classification classify(ImageBatch batch) {
            checkShape(theta, batch);
            int m = batch.n();
            Layer.Pass p = m == n ? pass : evaluation.pass(theta, 0, m);
            double[] logits = p.forward(batch.pixels(), 0).clone();
            int[] predicted = new int[m];
            int errors = 0;
            for (int r = 0; r < m; r++) {
                predicted[r] = SoftmaxCrossEntropy.predicted(logits, r, arch.classes());
                if (batch.labels() != null && predicted[r] != batch.labels()[r]) {
                    errors++;
                }
            }
            double loss = batch.labels() == null ? Double.NaN
                    : SoftmaxCrossEntropy.loss(logits, batch.labels(), m, arch.classes(), null);
            return new Classification(logits, predicted, loss, errors, OdeBlock.forwardStats(p));
        }
    }

    private int requireLabels(double[] theta, ImageBatch batch) {
        checkShape(theta, batch);
        if (batch.labels() == null) {
            throw new IllegalArgumentException("a gradient needs labelled images");
        }
        return batch.n();
    }

    private void checkShape(double[] theta, ImageBatch batch) {
        if (theta.length != parameterCount()) {
            throw new IllegalArgumentException("parameter vector has " + theta.length + " entries, the "
                    + arch.block().label() + " classifier needs " + parameterCount());
        }
        if (!batch.shape().equals(arch.input())) {
            throw new IllegalArgumentException("images are " + batch.shape() + ", the classifier reads "
                    + arch.input());
        }
    }

    @Override
    public String toString() {
        return arch.block().label() + " classifier, " + parameterCount() + " parameters";
    }
}
