package app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A minimal HTTP service on the JDK's built-in server (module jdk.httpserver, part of the JRE):
 * replace the handler with your own. It listens on all interfaces inside the container; compose
 * publishes it on 127.0.0.1 only (C04).
 */
public final class App {
    static final int PORT = 8080;
    static final String HEALTH_PATH = "/healthz";
    private static final String SERVICE_JSON = "{\"service\":\"ledger\"}\n";

    private App() {}

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", PORT), 0);
        // A bounded pool: a flood of slow clients queues up instead of creating unbounded threads.
        ExecutorService workers = Executors.newFixedThreadPool(16);
        server.setExecutor(workers);
        server.createContext("/", App::handle);
        server.start();
        System.out.println("listening on " + PORT);

        // docker stop / nomad stop send SIGTERM: stop accepting connections, give requests in
        // flight up to 2 seconds, then let the JVM exit (well inside docker stop's 10 s grace).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(2);
            workers.shutdown();
        }, "shutdown"));
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try {
            if (exchange.getRequestURI().getPath().equals(HEALTH_PATH)) {
                respond(exchange, "text/plain; charset=utf-8", "ok\n");
            } else {
                respond(exchange, "application/json", SERVICE_JSON);
            }
        } finally {
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, String contentType, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
