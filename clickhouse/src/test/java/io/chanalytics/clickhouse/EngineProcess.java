package io.chanalytics.clickhouse;

import io.chanalytics.clickhouse.engine.ChDb;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One lifetime of the embedded engine in its own JVM, for the restart test: chDB cannot start its Kafka engine
 * twice in one process, so "close and reopen" means a second process on the same data path.
 *
 * <p>Arguments: the data path, then {@code NAME=value} schema variables. It applies the schema, prints
 * {@code READY} once its Kafka consumers hold their partitions, then {@code COUNT n} (rows in request_metrics) every
 * 50 ms until a {@code CLOSE} line arrives on stdin; it closes the engine and prints {@code CLOSED}.
 */
final class EngineProcess {

    static final String READY = "READY";
    static final String COUNT = "COUNT ";
    static final String CLOSED = "CLOSED";
    static final String CLOSE = "CLOSE";

    private EngineProcess() {}

    public static void main(String[] args) throws InterruptedException {
        Path dataPath = Path.of(args[0]);
        Map<String, String> variables = new LinkedHashMap<>();
        for (String argument : List.of(args).subList(1, args.length)) {
            int equals = argument.indexOf('=');
            variables.put(argument.substring(0, equals), argument.substring(equals + 1));
        }
        BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().start(() -> readCommands(commands));

        EmbeddedClickHouse clickHouse = EmbeddedClickHouse.start(dataPath, variables);
        clickHouse.awaitKafkaConsumers(Duration.ofSeconds(60));
        ChDb engine = clickHouse.engine();
        System.out.println(READY);
        String command = null;
        while (!CLOSE.equals(command)) {
            System.out.println(COUNT + count(engine));
            command = commands.poll(50, TimeUnit.MILLISECONDS);
        }
        engine.close();
        System.out.println(CLOSED);
        System.exit(0);
    }

    private static long count(ChDb engine) {
        return engine.queryLong("SELECT count() FROM analytics.request_metrics");
    }

    private static void readCommands(BlockingQueue<String> commands) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                commands.add(line.strip());
            }
        } catch (IOException e) {
            commands.add(CLOSE);
        }
    }
}
