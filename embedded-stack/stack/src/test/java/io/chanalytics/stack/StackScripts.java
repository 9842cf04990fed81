package io.chanalytics.stack;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the user's scripts as a user would (bash, from the repository root), with the variables a test sets. */
final class StackScripts {

    record Result(int exitCode, String output) {}

    private final Map<String, String> environment = new HashMap<>();

    /** Every port free, and the data in {@code dataDirectory}: a stack that cannot touch a developer's. */
    static StackScripts onFreePorts(Path dataDirectory) throws IOException {
        var scripts = new StackScripts();
        scripts.environment.putAll(StackSettings.freePortVariables());
        scripts.environment.put("CHANALYTICS_DATA_DIR", dataDirectory.toString());
        return scripts;
    }

    /** Sets one of .env's variables for the scripts' stack, as a user exporting it would. */
    void set(String variable, String value) {
        environment.put(variable, value);
    }

    /** The settings the scripts' stack runs with. */
    StackSettings settings() {
        return StackSettings.fromEnvironment(environment::get, RepositoryLayout.root());
    }

    /** The service processes the running stack recorded ({@link StackParts}), by name. */
    Map<String, ProcessHandle> recordedServices() {
        Map<String, ProcessHandle> services = new HashMap<>();
        for (StackParts.Part part : StackParts.in(settings().dataDirectory()).recorded()) {
            if (part.name().equals("crud-api") || part.name().equals("ecommerce-api")) {
                services.put(part.name(), ProcessHandle.of(part.pid()).orElseThrow());
            }
        }
        return services;
    }

    Result run(String script, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(RepositoryLayout.root().toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        // Never the compose path here, even on a machine with Docker: these checks are about the embedded side.
        builder.environment().put("STACK_MODE", "embedded");
        Process process = builder.start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(script + " did not finish");
        }
        return new Result(process.exitValue(), output);
    }

    static boolean listening(int port) {
        try (var socket = new Socket("127.0.0.1", port)) {
            return socket.isConnected();
        } catch (IOException e) {
            return false;
        }
    }
}
