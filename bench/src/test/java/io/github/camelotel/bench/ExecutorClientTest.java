package io.github.camelotel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.camelotel.load.LoadPlan;
import io.github.camelotel.load.LoadReport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every call to the executor's /load carries the bearer token, and reads the report typed. */
class ExecutorClientTest {

    @Test
    void sendsTheAccessTokenAndReadsTheReport() throws Exception {
        List<String> authorizations = new ArrayList<>();
        HttpServer executor = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        executor.createContext("/load", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = (exchange.getRequestMethod().equals("GET")
                            ? "{\"state\":\"done\",\"startedAt\":5,\"sent\":2,\"completed\":2,"
                                    + "\"plan\":{\"rate\":\"max\",\"durationSeconds\":0,\"count\":2},"
                                    + "\"latencyMs\":{\"p50\":7,\"p99\":9,\"max\":9,\"mean\":7.5},"
                                    + "\"seconds\":[{\"second\":0,\"sent\":2,\"completed\":2,\"latencyMs\":{\"p50\":7}}]}"
                            : "{}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("POST") ? 202 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        executor.start();
        try {
            int port = executor.getAddress().getPort();
            ExecutorClient client = new ExecutorClient(port, () -> "t0ken");
            client.start(new LoadPlan(5, 10, 0));
            LoadReport report = client.report();
            client.stop();

            assertThat(authorizations).containsExactly("Bearer t0ken", "Bearer t0ken", "Bearer t0ken");
            assertThat(report.done()).isTrue();
            assertThat(report.latencyMs().p99()).isEqualTo(9);
            assertThat(report.seconds())
                    .singleElement()
                    .satisfies(s -> assertThat(s.latencyMs().p50()).isEqualTo(7));
        } finally {
            executor.stop(0);
        }
    }
}
