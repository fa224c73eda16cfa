package dev.odeflow.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a standalone master reports at its web UI's {@code /json/} endpoint: the drivers it launched in cluster
 * deploy mode (active and completed) and the applications.
 *
 * @param drivers every driver, active ones first
 * @param apps    every application, active ones first
 */
record MasterState(List<Driver> drivers, List<App> apps) {

    /** A driver launched by the master ({@code --deploy-mode cluster}); {@code state} is a DriverState name. */
    record Driver(String id, String state, String worker) {
        /** FINISHED, FAILED, ERROR or KILLED: the driver has ended. */
        boolean ended() {
            return List.of("FINISHED", "FAILED", "ERROR", "KILLED").contains(state);
        }
    }

    /** An application; {@code state} is an ApplicationState name. */
    record App(String id, String name, String state) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static MasterState fetch(int uiPort) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("master /json/ answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode root = new ObjectMapper().readTree(response.body());
        List<Driver> drivers = new ArrayList<>();
        List<App> apps = new ArrayList<>();
        for (String list : List.of("activedrivers", "completeddrivers")) {
            root.path(list).forEach(d -> drivers.add(new Driver(d.path("id").asText(), d.path("state").asText(),
                    d.path("worker").asText())));
        }
        for (String list : List.of("activeapps", "completedapps")) {
            root.path(list).forEach(a -> apps.add(new App(a.path("id").asText(), a.path("name").asText(),
                    a.path("state").asText())));
        }
        return new MasterState(List.copyOf(drivers), List.copyOf(apps));
    }

    Optional<Driver> driver(String id) {
        return drivers.stream().filter(d -> d.id().equals(id)).findFirst();
    }
}
