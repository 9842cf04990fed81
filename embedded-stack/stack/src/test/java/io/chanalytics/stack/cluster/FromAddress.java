package io.chanalytics.stack.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 GET from a chosen loopback address (127.0.0.2, 127.0.0.3, ...): a caller on another machine, as NGINX
 * sees it ({@code $remote_addr}). The JDK's HTTP client cannot pick its source address.
 */
public final class FromAddress {

    private FromAddress() {}

    /** The status of {@code GET path} sent from {@code source} to 127.0.0.1:{@code port}, with {@code authorization}. */
    public static int get(String source, int port, String path, String authorization) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nAuthorization: "
                    + authorization + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                statusLine.append((char) b);
            }
            String[] parts = statusLine.toString().split(" ");
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IllegalStateException("Not an HTTP answer: " + statusLine);
            }
            return Integer.parseInt(parts[1]);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " from " + source + " to port " + port, e);
        }
    }
}
