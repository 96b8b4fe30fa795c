package io.github.camelotel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every call to the executor's /load carries the bearer token when there is one, and reads the report typed. */
class ExecutorClientTest {

    @Test
    void sendsTheAccessTokenWhenThereIsOneAndReadsTheReport() throws Exception {
        List<String> authorizations = new ArrayList<>();
        HttpServer executor = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        executor.createContext("/load", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = (exchange.getRequestMethod().equals("GET")
                            ? "{\"state\":\"done\",\"startedAt\":5,\"sent\":2,\"completed\":2,\"plan\":{},"
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
            ExecutorClient withToken = new ExecutorClient(port, () -> "t0ken");
            withToken.start(5, 10, 0);
            ExecutorClient.LoadReport report = withToken.report();
            new ExecutorClient(port, () -> null).stop();
            new ExecutorClient(port, null).report();

            assertThat(authorizations).containsExactly("Bearer t0ken", "Bearer t0ken", "null", "null");
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
