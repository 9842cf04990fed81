package io.chanalytics.stack.cluster;

import io.chanalytics.stack.RepositoryLayout;
import io.chanalytics.stack.monitoring.PrometheusTools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster's load balancer, {@code apis/nginx/default.conf} (what docker-compose.cluster.yml mounts into its NGINX),
 * run for real by Debian's nginx in front of service instances on this machine. The file is used as it is but for
 * what only Docker has: the instances' names become their loopback ports, Docker's resolver goes, and so does the
 * {@code resolve} parameter (open-source NGINX has it from 1.27.3; the image compose pins is newer than Debian's
 * 1.22). Every replacement must apply, so a change to the file's layout fails here rather than testing something else.
 */
public final class NginxFront implements AutoCloseable {

    private static final Pattern RESOLVER = Pattern.compile("(?m)^resolver [^;]*;\\n");
    private static final Pattern SERVER =
            Pattern.compile("server (crud-api|ecommerce-api)-([12]):\\d+([^;]*?) resolve;");
    private static final Pattern LISTEN = Pattern.compile("listen (8001|8002);");

    private final Process process;
    private final int crudPort;
    private final int ecommercePort;

    private NginxFront(Process process, int crudPort, int ecommercePort) {
        this.process = process;
        this.crudPort = crudPort;
        this.ecommercePort = ecommercePort;
    }

    /** Debian's nginx; the test is skipped without it, and fails in CI. */
    public static Path require() {
        return Path.of(PrometheusTools.require("nginx", "nginx"));
    }

    /**
     * NGINX on {@code crudPort} and {@code ecommercePort} (loopback), balancing over the given instances' ports (two
     * each, as the cluster's), its files in {@code directory}.
     */
    public static NginxFront start(
            Path directory,
            int crudPort,
            List<Integer> crudInstances,
            int ecommercePort,
            List<Integer> ecommerceInstances)
            throws IOException, InterruptedException {
        Path nginx = require();
        Files.createDirectories(directory);
        String conf = Files.readString(RepositoryLayout.root().resolve("apis/nginx/default.conf"));
        Matcher resolver = RESOLVER.matcher(conf);
        if (!resolver.find()) {
            throw new IllegalStateException("apis/nginx/default.conf has no resolver line to drop");
        }
        conf = resolver.replaceAll("");
        AtomicInteger servers = new AtomicInteger();
        conf = SERVER.matcher(conf).replaceAll(server -> {
            servers.incrementAndGet();
            List<Integer> ports = server.group(1).equals("crud-api") ? crudInstances : ecommerceInstances;
            int port = ports.get(Integer.parseInt(server.group(2)) - 1);
            return Matcher.quoteReplacement("server 127.0.0.1:" + port + server.group(3) + ";");
        });
        AtomicInteger listens = new AtomicInteger();
        conf = LISTEN.matcher(conf).replaceAll(listen -> {
            listens.incrementAndGet();
            return "listen 127.0.0.1:" + (listen.group(1).equals("8001") ? crudPort : ecommercePort) + ";";
        });
        if (servers.get() != 4 || listens.get() != 2) {
            throw new IllegalStateException(
                    "apis/nginx/default.conf: expected 4 instance lines and 2 listen lines, found " + servers + " and "
                            + listens);
        }
        Files.writeString(directory.resolve("default.conf"), conf);
        Files.writeString(directory.resolve("nginx.conf"), """
                # The http context of the nginx image's own nginx.conf around the cluster's default.conf.
                worker_processes 1;
                pid %1$s/nginx.pid;
                events { worker_connections 512; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/default.conf;
                }
                """.formatted(directory));
        Process process = new ProcessBuilder(
                        nginx.toString(),
                        "-p",
                        directory.toString(),
                        "-c",
                        directory.resolve("nginx.conf").toString(),
                        "-e",
                        directory.resolve("error.log").toString(),
                        "-g",
                        "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("nginx.out").toFile())
                .start();
        NginxFront front = new NginxFront(process, crudPort, ecommercePort);
        front.awaitListening(Duration.ofSeconds(10), directory);
        return front;
    }

    public int crudPort() {
        return crudPort;
    }

    public int ecommercePort() {
        return ecommercePort;
    }

    private void awaitListening(Duration timeout, Path directory) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue() + ": "
                        + Files.readString(directory.resolve("nginx.out"))
                        + readIfThere(directory.resolve("error.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", crudPort), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nginx does not listen on " + crudPort + " after " + timeout);
    }

    private static String readIfThere(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
