/**
 * Image classifiers (the seeds' MNIST table): torchdiffeq's {@code odenet_mnist.py} networks with an ODE block
 * (ODE-Net with the adjoint, RK-Net with direct backprop), six residual blocks, or a 1-layer MLP, trained on the
 * softmax cross-entropy ({@link dev.odeflow.kernels.classifier.ClassifierModel}). Built from {@code nn}'s layers;
 * the ODE block is solved and differentiated by {@code gradient}.
 */
package dev.odeflow.kernels.classifier;
