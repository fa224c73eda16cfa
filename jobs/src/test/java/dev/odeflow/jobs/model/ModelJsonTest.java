package dev.odeflow.jobs.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odeflow.driver.conf.CnfSettingsKeys;
import dev.odeflow.driver.conf.TrainConfig;
import dev.odeflow.driver.conf.TrainKey;
import dev.odeflow.kernels.dynamics.Precision;
import dev.odeflow.kernels.model.CnfSettings;
import dev.odeflow.kernels.solver.Method;
import dev.odeflow.kernels.solver.SolverConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * model.json speaks the job files' vocabulary: every setting under its {@link TrainKey} name, read back by the
 * code that reads job files; the layouts of versions 1 and 2 still load.
 */
class ModelJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void settingsAreWrittenUnderTheirJobKeysAndReadBackAsAJobFileWouldGiveThem() throws Exception {
        // The settings a job file gives, through TrainConfig, must come back from model.json unchanged.
        TrainConfig cfg = TrainConfig.fromOverrides("solver.method=bosh3", "solver.rtol=2e-4", "solver.atol=3e-6",
                "solver.max_nfe=12345", "eval.method=rk4", "eval.steps=7", "gradient=checkpoint",
                "adjoint.atol=1e-7", "adjoint.seminorm=true", "model.divergence=rademacher", "model.train_T=false",
                "backend=cpu", "model.hidden=8,6", "model.activation=softplus", "model.layer=concat",
                "model.blocks=2");
        SavedFlow flow = TinyFlows.chain(3, 2);
        SavedFlow configured = new SavedFlow(cfg.modelFor(2), flow.weights(), flow.scaling(), flow.columns());
        ModelJson.Header h = new ModelJson.Header(configured.model().architecture(), 2, cfg.settings(),
                new double[] {0.4, 0.6}, flow.scaling(), flow.columns(), TensorDtype.F64);
        byte[] bytes = ModelJson.encode(h);
        JsonNode s = JSON.readTree(bytes).get("settings");
        assertEquals("bosh3", s.get("solver.method").asText());
        assertEquals(2e-4, s.get("solver.rtol").asDouble());
        assertEquals(12345, s.get("solver.max_nfe").asLong());
        assertEquals(7, s.get("eval.steps").asInt());
        assertTrue(s.get("eval.rtol") == null, "a fixed-step solver's tolerances are left out");
        assertEquals(1e-7, s.get("adjoint.atol").asDouble());
        assertEquals(2e-4, s.get("adjoint.rtol").asDouble(), "the adjoint follows solver.rtol, written out");
        assertTrue(s.get("adjoint.seminorm").asBoolean());
        assertEquals("[8,6]", s.get("model.hidden").toString());
        assertEquals("concat", s.get("model.layer").asText());
        assertEquals(2, s.get("model.blocks").asInt());
        assertEquals("float64", s.get("model.precision").asText());
        assertEquals(CnfSettingsKeys.KEYS.size() + 5 - 2, s.size(), s.toString());

        ModelJson.Header back = ModelJson.decode(bytes, "m/model.json");
        assertEquals(cfg.settings(), back.settings());
        assertEquals(h.architecture(), back.architecture());
        assertEquals(2, back.blocks());
        assertArrayEquals(h.endTimes(), back.endTimes());
    }

    @Test
    void aBadOrMissingSettingIsNamedWithTheFile() throws Exception {
        byte[] good = ModelDirectory.encode(TinyFlows.twoD(7), TensorDtype.F64).modelJson();
        String text = new String(good, StandardCharsets.UTF_8);
        assertMessage(text.replace("\"gradient\" : \"direct\"", "\"gradient\" : \"sideways\""),
                "m/model.json settings: gradient = 'sideways'");
        assertMessage(text.replace("\"model.layer\" :", "\"solver.tolerance\" : 1, \"model.layer\" :"),
                "m/model.json: unknown setting 'solver.tolerance'");
        assertMessage(text.replace("\"model.train_T\" : true", "\"model.train_T\" : \"yes\""),
                "m/model.json: setting 'model.train_T' must be true or false, got \"yes\"");
        assertMessage(text.replaceAll("\"solver.max_nfe\" : \\d+,", ""),
                "m/model.json: missing setting 'solver.max_nfe'");
    }

    /** A float32-trained flow says so; a format-3 file from before model.precision existed reads as float64. */
    @Test
    void precisionIsWrittenAndAbsentMeansDouble() throws Exception {
        SavedFlow flow = TinyFlows.twoD(7);
        ModelJson.Header h = new ModelJson.Header(flow.model().architecture().withPrecision(Precision.FLOAT32), 1,
                flow.model().settings(), flow.endTimes(), flow.scaling(), flow.columns(), TensorDtype.F64);
        String text = new String(ModelJson.encode(h), StandardCharsets.UTF_8);
        assertEquals(Precision.FLOAT32, ModelJson.decode(text.getBytes(StandardCharsets.UTF_8), "m/model.json")
                .architecture().precision());
        String older = text.replace("\"model.precision\" : \"float32\",", "");
        assertTrue(!older.contains("model.precision"), older);
        assertEquals(flow.model().architecture(),
                ModelJson.decode(older.getBytes(StandardCharsets.UTF_8), "m/model.json").architecture());
        assertMessage(text.replace("\"float32\"", "\"float16\""), "unknown precision 'float16'");
    }

    @Test
    void aSolverWithoutJobKeysIsRefusedWhenSaved() {
        SavedFlow flow = TinyFlows.twoD(7);
        CnfSettings odd = flow.model().settings().withEval(SolverConfig.fixedSize(Method.RK4, 0.1));
        ModelJson.Header h = new ModelJson.Header(flow.model().architecture(), 1, odd, flow.endTimes(),
                flow.scaling(), flow.columns(), TensorDtype.F64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelJson.encode(h));
        assertTrue(e.getMessage().contains("has no job keys"), e.getMessage());
    }

    /** Versions 1 (one block) and 2 (a chain), as odeflow wrote them before, decode to the same header. */
    @Test
    void formatVersionsOneAndTwoStillLoad() throws Exception {
        for (int blocks : new int[] {1, 3}) {
            SavedFlow flow = blocks == 1 ? TinyFlows.twoD(7) : TinyFlows.chain(5, blocks);
            byte[] legacy = legacyJson(flow, blocks).getBytes(StandardCharsets.UTF_8);
            ModelJson.Header h = ModelJson.decode(legacy, "old/model.json");
            assertEquals(flow.model().settings(), h.settings());
            assertEquals(flow.model().architecture(), h.architecture());
            assertEquals(blocks, h.blocks());
            assertArrayEquals(flow.endTimes(), h.endTimes());
            assertArrayEquals(flow.scaling().mean(), h.scaling().mean());
            assertEquals(flow.columns(), h.columns());
        }
    }

    @Test
    void unknownFormatVersionsAreRefused() {
        String future = "{\"format\":\"odeflow-cnf\",\"format_version\":4}";
        assertMessage(future, "m/model.json: format_version 4 is not supported (this odeflow reads versions 1 to 3)");
    }

    private static void assertMessage(String json, String fragment) {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelJson.decode(json.getBytes(StandardCharsets.UTF_8), "m/model.json"));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    /** model.json in the layout of versions 1 and 2 (TinyFlows' solvers are fixed-step rk4). */
    private static String legacyJson(SavedFlow flow, int blocks) {
        CnfSettings s = flow.model().settings();
        String times = Arrays.stream(flow.endTimes()).mapToObj(Double::toString).collect(Collectors.joining(","));
        return String.format(Locale.ROOT, """
                {"format":"odeflow-cnf","format_version":%d,
                 "architecture":{"dim":2,"hidden":[8],"layer":"concatsquash","activation":"tanh"%s},
                 "end_time":%s,%s
                 "standardization":{"mean":[1.5,-2.0],"std":[2.0,0.5]},"columns":["a","b"],
                 "settings":{
                   "train_solver":{"method":"rk4","mode":"fixed_steps","steps":%d,"first_step":0.0,"min_step":0.0,
                     "max_steps":100000,"max_nfe":2000000,"safety":0.9,"max_growth":10.0,"min_shrink":0.2,
                     "land_on_times":false},
                   "eval_solver":{"method":"rk4","mode":"fixed_steps","steps":%d},
                   "gradient":"direct","adjoint":{"rtol":%s,"atol":%s,"seminorm":false},
                   "divergence":"exact","train_end_time":true,"backend":"cpu"},
                 "weights":{"file":"weights.safetensors","dtype":"F64"}}""",
                blocks == 1 ? 1 : 2, blocks == 1 ? "" : ",\"blocks\":" + blocks,
                Double.toString(flow.endTime()), blocks == 1 ? "" : "\"end_times\":[" + times + "],",
                s.train().steps(), s.eval().steps(), Double.toString(s.adjoint().rtol()),
                Double.toString(s.adjoint().atol()));
    }
}
