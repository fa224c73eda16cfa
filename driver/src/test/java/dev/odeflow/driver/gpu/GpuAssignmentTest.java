package dev.odeflow.driver.gpu;

import dev.odeflow.driver.SparkTestSession;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuAssignmentTest {

    @Test
    void sparkAssignedGpuWins() {
        GpuAssignment a = new GpuAssignment(List.of(0, 1));
        Map<String, ResourceInformation> res = Map.of("gpu", new ResourceInformation("gpu", new String[] {"3"}));
        assertEquals(Optional.of(3), a.resolve(res, 0));
        Map<String, ResourceInformation> bad = Map.of("gpu", new ResourceInformation("gpu", new String[] {"GPU-abc"}));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.resolve(bad, 0));
        assertTrue(e.getMessage().contains("GPU-abc"), e.getMessage());
    }

    @Test
    void localDevicesByPartitionElseCpu() {
        GpuAssignment a = new GpuAssignment(List.of(0, 1));
        assertEquals(Optional.of(0), a.resolve(Map.of(), 0));
        assertEquals(Optional.of(1), a.resolve(Map.of(), 1));
        assertEquals(Optional.of(0), a.resolve(Map.of(), 4));
        assertEquals(Optional.empty(), new GpuAssignment(List.of()).resolve(Map.of(), 2));
        assertEquals(Optional.empty(), a.forCurrentTask(), "outside a task");
        assertThrows(IllegalArgumentException.class, () -> new GpuAssignment(List.of(-1)));
    }

    @Test
    void insideLocalModeTasksTheListIsMappedByPartition() {
        GpuAssignment a = new GpuAssignment(List.of(5, 7));
        List<Integer> devices = SparkTestSession.jsc().parallelize(List.of(0, 1, 2), 3)
                .map(x -> a.forCurrentTask().orElse(-1)).collect();
        assertEquals(List.of(5, 7, 5), devices);
    }
}
