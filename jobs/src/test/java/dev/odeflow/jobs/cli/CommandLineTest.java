package dev.odeflow.jobs.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue 13, finding 9: a job file whose path has an '=' is a job file, not an override. */
class CommandLineTest {

    @Test
    void pathsWithAnEqualsSignArePositionals(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("date=2026-01-01"));
        Path job = Files.writeString(dir.resolve("job"), "iterations = 1\n");
        CommandLine cl = CommandLine.parse("train", List.of(job.toString(), "iterations=5", "output.dir=runs/x"),
                Set.of());
        assertEquals(List.of(job.toString()), cl.positionals());
        assertEquals(Map.of("iterations", "5", "output.dir", "runs/x"), cl.overrides());
        // relative to the working directory, missing, or under a directory with an '='
        CommandLine missing = CommandLine.parse("train", List.of("date=2026-01-01/nope.conf", "data/d=1/job"),
                Set.of());
        assertEquals(List.of("date=2026-01-01/nope.conf", "data/d=1/job"), missing.positionals());
        assertEquals(Map.of(), missing.overrides());
    }
}
