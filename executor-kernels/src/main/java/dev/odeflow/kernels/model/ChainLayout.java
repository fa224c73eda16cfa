package dev.odeflow.kernels.model;

import dev.odeflow.kernels.dynamics.NamedTensor;
import dev.odeflow.kernels.dynamics.ParameterLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where each block of a chain of CNF blocks sits in the flat parameter vector: block k holds its dynamics θ_k
 * ({@code thetaSize} entries) and then its scalar s_k, so block k starts at k · (thetaSize + 1).
 *
 * <p>Names: one block keeps the names of a single FFJORD {@code CNF} ({@code layers.0._layer.weight}, …,
 * {@code sqrt_end_time}); a chain of K ≥ 2 uses FFJORD's {@code SequentialFlow} state-dict names,
 * {@code chain.k.odefunc.odefunc.diffeq.layers.…} and {@code chain.k.sqrt_end_time}.
 *
 * @param blocks    number of blocks K (≥ 1)
 * @param thetaSize entries of one block's dynamics θ
 */
record ChainLayout(int blocks, int thetaSize) {

    /** Prefix of block k's ODEnet tensors in a chain (FFJORD: CNF → RegularizedODEfunc → ODEfunc → ODEnet). */
    static final String DYNAMICS_PREFIX = "odefunc.odefunc.diffeq.";

    ChainLayout {
        if (blocks < 1 || thetaSize < 0) {
            throw new IllegalArgumentException("a chain needs >= 1 block, got " + blocks);
        }
    }

    /** Entries of one block: θ_k and s_k. */
    int blockSize() {
        return thetaSize + 1;
    }

    /** Entries of the whole vector; an int overflow is an ArithmeticException. */
    int size() {
        return Math.multiplyExact(blocks, blockSize());
    }

    /** Index of θ_k's first entry. */
    int thetaOffset(int k) {
        return k * blockSize();
    }

    /** Index of s_k (T_k = s_k²). */
    int endTimeIndex(int k) {
        return k * blockSize() + thetaSize;
    }

    /** A copy of θ_k. */
    double[] theta(double[] w, int k) {
        return Arrays.copyOfRange(w, thetaOffset(k), thetaOffset(k) + thetaSize);
    }

    /** The prefix of block k's names: empty for a single block, {@code chain.k.} in a chain. */
    String blockPrefix(int k) {
        return blocks == 1 ? "" : "chain." + k + ".";
    }

    /** The named tensors of the whole vector, given one block's dynamics layout. */
    ParameterLayout layout(ParameterLayout dynamics, String endTimeName) {
        if (dynamics.size() != thetaSize) {
            throw new IllegalArgumentException("dynamics have " + dynamics.size() + " entries, expected " + thetaSize);
        }
        List<NamedTensor> tensors = new ArrayList<>();
        for (int k = 0; k < blocks; k++) {
            String block = blockPrefix(k);
            String net = blocks == 1 ? "" : block + DYNAMICS_PREFIX;
            for (NamedTensor t : dynamics.tensors()) {
                tensors.add(new NamedTensor(net + t.name(), t.shape(), thetaOffset(k) + t.offset()));
            }
            tensors.add(new NamedTensor(block + endTimeName, new int[0], endTimeIndex(k)));
        }
        return new ParameterLayout(tensors);
    }
}
