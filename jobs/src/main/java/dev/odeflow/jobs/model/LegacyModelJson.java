package dev.odeflow.jobs.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.odeflow.driver.data.Standardization;
import dev.odeflow.kernels.backend.BackendKind;
import dev.odeflow.kernels.dynamics.Activation;
import dev.odeflow.kernels.dynamics.CnfArchitecture;
import dev.odeflow.kernels.dynamics.LayerKind;
import dev.odeflow.kernels.gradient.AdjointOptions;
import dev.odeflow.kernels.gradient.GradientMethod;
import dev.odeflow.kernels.model.CnfModel;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.solver.ErrorNorm;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import dev.odeflow.kernels.solver.StepMode;
import dev.odeflow.kernels.trace.Divergence;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the model.json of format versions 1 (one block) and 2 (a chain), written before the settings took their
 * job-file names (version 3, {@link ModelJson}): an {@code architecture} object and nested {@code train_solver},
 * {@code eval_solver} and {@code adjoint} objects. Only read, so that saved models keep loading.
 */
final class LegacyModelJson {

    static final int SINGLE_VERSION = 1;
    static final int CHAIN_VERSION = 2;

    private LegacyModelJson() {
    }

    static ModelJson.Header decode(JsonNode root, int version, JsonFields r) throws ModelFormatException {
        String source = r.source();
        JsonNode archNode = r.object(root, "architecture");
        CnfArchitecture arch = architecture(r, archNode);
        int blocks = version == SINGLE_VERSION ? 1 : r.integer(archNode, "blocks");
        if (version == CHAIN_VERSION && (blocks < 2 || blocks > CnfModel.MAX_BLOCKS)) {
            throw new ModelFormatException(source + ": architecture.blocks must be between 2 and "
                    + CnfModel.MAX_BLOCKS + " in format_version " + CHAIN_VERSION + ", got " + blocks);
        }
        double[] endTimes = version == SINGLE_VERSION ? new double[] {r.number(root, "end_time")}
                : r.doubles(root, "end_times");
        JsonNode st = r.object(root, "standardization");
        Standardization scaling = new Standardization(r.doubles(st, "mean"), r.doubles(st, "std"));
        List<String> columns = new ArrayList<>();
        for (JsonNode c : r.array(root, "columns")) {
            columns.add(c.asText());
        }
        JsonNode s = r.object(root, "settings");
        JsonNode adj = r.object(s, "adjoint");
        CnfSettings settings = new CnfSettings(solver(r, s, "train_solver"), solver(r, s, "eval_solver"),
                GradientMethod.parse(r.text(s, "gradient")),
                new AdjointOptions(r.number(adj, "rtol"), r.number(adj, "atol"), r.bool(adj, "seminorm")),
                Divergence.parse(r.text(s, "divergence")), r.bool(s, "train_end_time"),
                BackendKind.parse(r.text(s, "backend")));
        return ModelJson.header(r, root, arch, blocks, settings, endTimes, scaling, columns);
    }

    /** The architecture, checked against the size limits before anything is allocated for it. */
    private static CnfArchitecture architecture(JsonFields r, JsonNode a) throws ModelFormatException {
        int dim = r.integer(a, "dim");
        int[] hidden = r.ints(a, "hidden");
        LayerKind layer = LayerKind.parse(r.text(a, "layer"));
        Activation activation = Activation.parse(r.text(a, "activation"));
        try {
            return new CnfArchitecture(dim, hidden, layer, activation);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(r.source() + ": architecture: " + e.getMessage(), e);
        }
    }

    /** The solver in {@code settings.<field>}; an invalid one is an error naming the field. */
    private static SolverConfig solver(JsonFields r, JsonNode settings, String field) throws ModelFormatException {
        try {
            return solver(r, r.object(settings, field));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(r.source() + ": settings." + field + ": " + e.getMessage(), e);
        }
    }

    private static SolverConfig solver(JsonFields r, JsonNode o) throws ModelFormatException {
        StepMode mode;
        String m = r.text(o, "mode");
        try {
            mode = StepMode.valueOf(m.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(r.source() + ": unknown solver mode '" + m
                    + "'; expected adaptive, fixed_steps, fixed_size or fixed_grid");
        }
        boolean adaptive = mode == StepMode.ADAPTIVE;
        return new SolverConfig(Method.parse(r.text(o, "method")), mode,
                adaptive ? r.number(o, "rtol") : 0, adaptive ? r.number(o, "atol") : 0,
                mode == StepMode.FIXED_STEPS ? r.integer(o, "steps") : 0,
                mode == StepMode.FIXED_SIZE ? r.number(o, "step_size") : 0,
                mode == StepMode.FIXED_GRID ? r.doubles(o, "grid") : null,
                o.path("first_step").asDouble(0), o.path("min_step").asDouble(0),
                r.optionalLong(o, "max_steps", SolverConfig.DEFAULT_MAX_STEPS),
                r.optionalLong(o, "max_nfe", SolverConfig.DEFAULT_MAX_NFE),
                o.path("safety").asDouble(SolverConfig.DEFAULT_SAFETY),
                o.path("max_growth").asDouble(SolverConfig.DEFAULT_MAX_GROWTH),
                o.path("min_shrink").asDouble(SolverConfig.DEFAULT_MIN_SHRINK),
                o.has("norm_prefix") ? new ErrorNorm(r.integer(o, "norm_prefix")) : ErrorNorm.RMS,
                o.path("land_on_times").asBoolean(false));
    }
}
