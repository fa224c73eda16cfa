package dev.odeflow.jobs.model;

import dev.odeflow.driver.output.OutputStore;

import java.io.IOException;
import java.nio.file.Path;

/** Model directories at local paths, for tests: the product reads and writes them through an {@link OutputStore}. */
public final class TestModels {

    private TestModels() {
    }

    public static SavedFlow read(Path dir) throws IOException {
        return ModelDirectory.read(OutputStore.local(dir));
    }

    public static void write(Path dir, SavedFlow flow, TensorDtype dtype) throws IOException {
        ModelDirectory.write(OutputStore.parentOf(dir), dir.getFileName().toString(), flow, dtype);
    }
}
