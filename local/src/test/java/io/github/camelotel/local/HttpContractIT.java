package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The running apps keep their OpenAPI documents (routes/&lt;app&gt;/openapi.yaml): every operation, driven with good
 * input and with input for each documented error, answers a status, headers and body that its document describes,
 * as Atlassian's swagger-request-validator reads the document. Every documented (operation, status) pair is either
 * seen here or listed in {@link #UNPROVOKABLE} with the reason, so a new documented answer without a case fails, and
 * so does an answer the document does not have.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpContractIT {

    /** Statuses that refuse the request itself: the case's input must break the document, all others keep it. */
    static final Set<Integer> REFUSALS = Set.of(400, 413, 415);
    /** Statuses that refuse the caller, not the input: the validator's view of the request is not asserted. */
    static final Set<Integer> CALLER_REFUSALS = Set.of(401, 403);
    /** Just over platform.http.max-request-bytes. */
    static final String OVERSIZE = "x".repeat(70_000);
    /** A load run that disturbs the other tests little: three purchases over three seconds. */
    static final String TINY_RUN = "{\"count\": 3, \"rate\": 1}";

    static final String BUG_ONLY = "answers a failure that is neither bad input nor an unavailable dependency, i.e. a"
            + " bug: no input reaches one, and injected faults are transient (503)";
    static final String NO_SERVER_OUTAGE = "the route has no fault point, and the shared stack cannot stop Redis,"
            + " PostgreSQL or Kafka while a test waits on it";
    /** Documented answers the real stack cannot be brought to give, "operationId status" → why. */
    static final Map<String, String> UNPROVOKABLE = Map.ofEntries(
            Map.entry("storePurchase 500", BUG_ONLY),
            Map.entry("publishPurchase 500", BUG_ONLY),
            Map.entry("createOrder 500", BUG_ONLY),
            Map.entry("recordPayment 500", BUG_ONLY),
            Map.entry("readOrder 500", BUG_ONLY),
            Map.entry("readOrderAudit 500", BUG_ONLY),
            Map.entry("loadReport 500", BUG_ONLY),
            Map.entry("startLoad 500", BUG_ONLY),
            Map.entry("stopLoad 500", BUG_ONLY),
            Map.entry(
                    "storePurchase 502",
                    "app1 checks a purchase against app3's schema and size limit before passing"
                            + " it on, so app3 never refuses what app1 sends"),
            Map.entry(
                    "publishPurchase 503",
                    NO_SERVER_OUTAGE + " (here Kafka, for longer than the producer's" + " max.block.ms)"),
            Map.entry("readOrder 503", NO_SERVER_OUTAGE),
            Map.entry("readOrderAudit 503", NO_SERVER_OUTAGE));

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** "operationId status" of every answer seen, documented or not. */
    static final Set<String> SEEN = new ConcurrentSkipListSet<>();

    static final Map<App, OpenApiInteractionValidator> VALIDATORS = new EnumMap<>(App.class);
    static final Map<String, Operation> OPERATIONS = new HashMap<>();
    static LocalStack stack;

    /** An operation as its document declares it. */
    record Operation(App app, String method, String path, Set<String> statuses) {}

    /** What a case sends: the {orderId} of the path (if it has one), and a body with its Content-Type (if any). */
    record Input(String pathId, String contentType, String body) {}

    /** Brings the stack into the situation a case needs; the answer puts it back. */
    @FunctionalInterface
    interface Given {
        AutoCloseable arrange(String orderId) throws Exception;
    }

    /**
     * Whose token a case sends: the operation's rightful caller ({@link #RIGHTFUL}), none, a valid one without the
     * operation's scope, or a signed-in demo customer's.
     */
    record As(String who, String clientId, String scope, String customerId) {
        static final As RIGHTFUL = new As("its rightful caller", null, null, null);
        static final As ANONYMOUS = new As("no token", null, null, null);
        /** The customer's scope: a read-only token that no write and no load operation takes. */
        static final As WITHOUT_SCOPE = new As("a customer's token", null, null, "C-1001");

        static As customer(String customerId) {
            return new As("customer " + customerId, null, null, customerId);
        }
    }

    /** One row of the table: the operation, what is sent, the status it must answer, in which situation, as whom. */
    record Case(String operationId, String what, int status, Given given, Function<String, Input> input, As as) {
        Case(String operationId, String what, int status, Given given, Function<String, Input> input) {
            this(operationId, what, status, given, input, As.RIGHTFUL);
        }

        @Override
        public String toString() {
            return operationId + " " + status + ": " + what + (as == As.RIGHTFUL ? "" : ", as " + as.who());
        }
    }

    /** The client and scope each operation is called with: the one the system's own caller holds. */
    static final Map<String, As> RIGHTFUL_CALLERS = Map.of(
            "storePurchase", new As("the executor", "executor", "purchases:write", null),
            "publishPurchase", new As("the executor", "executor", "purchases:write", null),
            "createOrder", new As("app1-api", "app1-api", "orders:write", null),
            "recordPayment", new As("app2-consumer", "app2-consumer", "orders:write", null),
            "readOrder", new As("the back office", "operator", "orders:read-all", null),
            "readOrderAudit", new As("the back office", "operator", "orders:read-all", null),
            "loadReport", new As("an operator", "operator", "load:run", null),
            "startLoad", new As("an operator", "operator", "load:run", null),
            "stopLoad", new As("an operator", "operator", "load:run", null));

    static final Given NOTHING = orderId -> () -> {};
    static final Given STORED_ORDER = orderId -> {
        expect(201, send("createOrder", json(purchase(orderId))));
        return () -> {};
    };
    /** An order of demo customer C-1001. */
    static final Given STORED_ORDER_OF_C1001 = orderId -> {
        expect(201, send("createOrder", json(purchase(orderId).replace("\"C-1\"", "\"C-1001\""))));
        return () -> {};
    };

    static final Given APP3_FAILING = orderId -> {
        setFaults(App.APP3, "save-order:fail=1");
        return () -> setFaults(App.APP3, "");
    };
    static final Given NO_LOAD_RUN = orderId -> {
        awaitNoLoadRun();
        return HttpContractIT::endLoadRun;
    };
    static final Given LOAD_RUN = orderId -> {
        awaitNoLoadRun();
        expect(202, send("startLoad", json(TINY_RUN)));
        return HttpContractIT::endLoadRun;
    };

    static Stream<Case> cases() {
        Stream<Case> purchases = Stream.of(
                        Map.entry("storePurchase", 201), Map.entry("publishPurchase", 202),
                        Map.entry("createOrder", 201), Map.entry("recordPayment", 200))
                .flatMap(op -> Stream.of(
                        new Case(op.getKey(), "a purchase", op.getValue(), NOTHING, id -> json(purchase(id))),
                        new Case(
                                op.getKey(),
                                "a purchase without currency, quantity as a string",
                                400,
                                NOTHING,
                                id -> json(invalidPurchase(id))),
                        new Case(
                                op.getKey(),
                                "malformed JSON",
                                400,
                                NOTHING,
                                id -> json("{\"orderId\": \"" + id + "\", ")),
                        new Case(
                                op.getKey(),
                                "a body over 64 KiB",
                                413,
                                NOTHING,
                                id -> json(purchase(id).replace("Ada Lovelace", OVERSIZE))),
                        new Case(
                                op.getKey(),
                                "a form",
                                415,
                                NOTHING,
                                id -> new Input(null, "application/x-www-form-urlencoded", "orderId=" + id))));
        Stream<Case> unavailable = Stream.of("storePurchase", "createOrder", "recordPayment")
                .map(op -> new Case(
                        op, "a purchase while app3 cannot save orders", 503, APP3_FAILING, id -> json(purchase(id))));
        Stream<Case> reads = Stream.of("readOrder", "readOrderAudit")
                .flatMap(op -> Stream.of(
                        new Case(op, "a stored order", 200, STORED_ORDER, id -> new Input(id, null, null)),
                        new Case(op, "a malformed id", 400, NOTHING, id -> new Input("bad%20id'--", null, null)),
                        new Case(op, "an unknown id", 404, NOTHING, id -> new Input(id, null, null)),
                        new Case(
                                op,
                                "the customer's own order",
                                200,
                                STORED_ORDER_OF_C1001,
                                id -> new Input(id, null, null),
                                As.customer("C-1001")),
                        new Case(
                                op,
                                "another customer's order",
                                404,
                                STORED_ORDER_OF_C1001,
                                id -> new Input(id, null, null),
                                As.customer("C-1002"))));
        Stream<Case> load = Stream.of(
                new Case("loadReport", "while a run goes on", 200, LOAD_RUN, id -> none()),
                new Case("loadReport", "after a run", 200, NO_LOAD_RUN, id -> none()),
                new Case("startLoad", "a tiny run", 202, NO_LOAD_RUN, id -> json(TINY_RUN)),
                new Case("startLoad", "a negative rate", 400, NO_LOAD_RUN, id -> json("{\"count\": 3, \"rate\": -1}")),
                new Case(
                        "startLoad",
                        "an unknown field",
                        400,
                        NO_LOAD_RUN,
                        id -> json("{\"count\": 3, \"rate\": 1, \"speed\": 2}")),
                new Case("startLoad", "malformed JSON", 400, NO_LOAD_RUN, id -> json("{\"count\": ")),
                new Case("startLoad", "a second run while one goes on", 409, LOAD_RUN, id -> json(TINY_RUN)),
                new Case(
                        "startLoad",
                        "a body over 64 KiB",
                        413,
                        NO_LOAD_RUN,
                        id -> json("{\"count\": 3, \"padding\": \"" + OVERSIZE + "\"}")),
                new Case(
                        "startLoad",
                        "a form",
                        415,
                        NO_LOAD_RUN,
                        id -> new Input(null, "application/x-www-form-urlencoded", "count=3&rate=1")),
                new Case("stopLoad", "while a run goes on", 200, LOAD_RUN, id -> none()),
                new Case("stopLoad", "when no run goes on", 404, NO_LOAD_RUN, id -> none()));
        Stream<Case> callers = RIGHTFUL_CALLERS.keySet().stream()
                .sorted()
                .flatMap(op -> Stream.of(
                        new Case(op, "a valid request", 401, NOTHING, id -> validInput(op, id), As.ANONYMOUS),
                        new Case(
                                op,
                                "a valid request",
                                403,
                                NOTHING,
                                id -> validInput(op, id),
                                op.startsWith("read")
                                        ? new As("the executor", "executor", "purchases:write", null)
                                        : As.WITHOUT_SCOPE)));
        return Stream.of(purchases, unavailable, reads, load, callers).flatMap(s -> s);
    }

    /** A request each operation would carry out for its rightful caller. */
    static Input validInput(String operationId, String orderId) {
        return switch (operationId) {
            case "readOrder", "readOrderAudit" -> new Input(orderId, null, null);
            case "loadReport", "stopLoad" -> none();
            case "startLoad" -> json(TINY_RUN);
            default -> json(purchase(orderId));
        };
    }

    @BeforeAll
    static void startStackAndReadDocuments() throws Exception {
        stack = SharedStack.get();
        Path routes = Path.of(System.getProperty("project.root", ".."))
                .toAbsolutePath()
                .normalize()
                .resolve("routes");
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (App app : App.values()) {
            Path document = routes.resolve(app.serviceName()).resolve("openapi.yaml");
            if (!Files.exists(document)) {
                continue;
            }
            // from the file's URL, so that the documents' relative $refs into routes/common resolve
            VALIDATORS.put(
                    app,
                    OpenApiInteractionValidator.createForSpecificationUrl(
                                    document.toUri().toString())
                            .build());
            yaml.readTree(document.toFile())
                    .get("paths")
                    .fields()
                    .forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
                        JsonNode operation = method.getValue();
                        if (operation.has("operationId")) {
                            Set<String> statuses = new TreeSet<>();
                            operation.get("responses").fieldNames().forEachRemaining(statuses::add);
                            OPERATIONS.put(
                                    operation.get("operationId").asText(),
                                    new Operation(app, method.getKey().toUpperCase(), path.getKey(), statuses));
                        }
                    }));
        }
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAsDocumented(Case c) throws Exception {
        Operation operation = OPERATIONS.get(c.operationId());
        assertThat(operation)
                .as("operation %s in the documents", c.operationId())
                .isNotNull();
        String orderId = "contract-" + UUID.randomUUID();
        Input input = c.input().apply(orderId);
        String path = operation.path().replace("{orderId}", input.pathId() == null ? "" : input.pathId());

        HttpResponse<String> response;
        try (AutoCloseable situation = c.given().arrange(orderId)) {
            response = send(operation.app(), operation.method(), path, input, token(c.operationId(), c.as()));
        }
        SEEN.add(c.operationId() + " " + response.statusCode());

        OpenApiInteractionValidator validator = VALIDATORS.get(operation.app());
        Request request = toValidator(response.request(), input.body());
        ValidationReport requestReport = validator.validateRequest(request);
        ValidationReport responseReport = validator.validateResponse(path, request.getMethod(), toValidator(response));
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(response.statusCode())
                    .as("%s: status; body: %s", c, response.body())
                    .isEqualTo(c.status());
            softly.assertThat(responseReport.hasErrors())
                    .as("%s: the answer against the document: %s%n%s", c, format(responseReport), response.body())
                    .isFalse();
            // Without a Content-Type the validator skips the body; every answer the documents describe has one.
            if (!response.body().isEmpty()) {
                softly.assertThat(response.headers().firstValue("Content-Type"))
                        .as("%s: Content-Type", c)
                        .isPresent();
            }
            if (CALLER_REFUSALS.contains(c.status())) {
                softly.assertThat(response.headers().firstValue("WWW-Authenticate"))
                        .as("%s: WWW-Authenticate", c)
                        .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
            } else if (REFUSALS.contains(c.status())) {
                softly.assertThat(requestReport.hasErrors())
                        .as("%s: the case's input breaks the document", c)
                        .isTrue();
            } else {
                softly.assertThat(requestReport.hasErrors())
                        .as("%s: the case's input keeps the document: %s", c, format(requestReport))
                        .isFalse();
            }
            if (response.statusCode() == 503) {
                // The document describes Retry-After on every 503 but does not mark it required, so the validator
                // would let it go missing.
                softly.assertThat(response.headers().firstValue("Retry-After"))
                        .as("%s: Retry-After", c)
                        .isPresent();
            }
        });
    }

    @Order(2)
    @Test
    void everyDocumentedAnswerWasSeenAndNoOther() {
        Set<String> documented = new TreeSet<>();
        OPERATIONS.forEach(
                (id, operation) -> operation.statuses().forEach(status -> documented.add(id + " " + status)));
        Set<String> expected = new TreeSet<>(documented);
        expected.removeAll(UNPROVOKABLE.keySet());
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(UNPROVOKABLE.keySet())
                    .as("unprovokable answers that are documented")
                    .isSubsetOf(documented);
            softly.assertThat(difference(expected, SEEN))
                    .as("documented answers no case brought about")
                    .isEmpty();
            softly.assertThat(difference(SEEN, expected))
                    .as("answers seen that are undocumented or listed as unprovokable")
                    .isEmpty();
        });
    }

    static Set<String> difference(Set<String> these, Set<String> less) {
        Set<String> difference = new TreeSet<>(these);
        difference.removeAll(less);
        return difference;
    }

    static Input json(String body) {
        return new Input(null, "application/json", body);
    }

    static Input none() {
        return new Input(null, null, null);
    }

    static String purchase(String orderId) {
        return """
                {"orderId": "%s", "customerId": "C-1", "customerName": "Ada Lovelace",
                 "customerEmail": "ada@example.com", "currency": "EUR",
                 "items": [{"sku": "SKU-1", "name": "Coffee", "quantity": 2, "unitPrice": 3.5}]}
                """.formatted(orderId);
    }

    /** The document's own example of a refused purchase. */
    static String invalidPurchase(String orderId) {
        return purchase(orderId)
                .replace("\"currency\": \"EUR\", ", "")
                .replace("\"quantity\": 2", "\"quantity\": \"2\"");
    }

    /** The token a case sends as {@code as}, or null for none. */
    static String token(String operationId, As as) throws Exception {
        if (as == As.ANONYMOUS) {
            return null;
        }
        if (as.customerId() != null) {
            return stack.tokens().customerToken(as.customerId());
        }
        As caller = as == As.RIGHTFUL ? RIGHTFUL_CALLERS.get(operationId) : as;
        return stack.tokens().clientToken(caller.clientId(), caller.scope());
    }

    /** Calls an operation (on a path without parameters) as its rightful caller. */
    static HttpResponse<String> send(String operationId, Input input) throws Exception {
        Operation operation = OPERATIONS.get(operationId);
        return send(operation.app(), operation.method(), operation.path(), input, token(operationId, As.RIGHTFUL));
    }

    static HttpResponse<String> send(App app, String method, String path, Input input, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + stack.ports().of(app) + path))
                .timeout(Duration.ofSeconds(30))
                .header("x-client-id", "contract-test")
                .method(
                        method,
                        input.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(input.body()));
        if (input.contentType() != null) {
            request.header("Content-Type", input.contentType());
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        assertThat(response.statusCode())
                .as("%s %s: %s", response.request().method(), response.uri(), response.body())
                .isEqualTo(status);
        return response;
    }

    static Request toValidator(HttpRequest request, String body) {
        SimpleRequest.Builder builder =
                new SimpleRequest.Builder(request.method(), request.uri().getRawPath());
        request.headers().map().forEach(builder::withHeader);
        if (body != null) {
            builder.withBody(body);
        }
        return builder.build();
    }

    static Response toValidator(HttpResponse<String> response) {
        SimpleResponse.Builder builder = SimpleResponse.Builder.status(response.statusCode());
        response.headers().map().forEach(builder::withHeader);
        if (!response.body().isEmpty()) {
            builder.withBody(response.body());
        }
        return builder.build();
    }

    static String format(ValidationReport report) {
        return SimpleValidationReportFormat.getInstance().apply(report);
    }

    /** Through the faults actuator endpoint, which the shared stack enables (FAULTS_ADMIN_ENABLED). */
    static void setFaults(App app, String spec) throws Exception {
        expect(
                200,
                send(
                        app,
                        "POST",
                        "/actuator/faults",
                        json("{\"spec\": \"" + spec + "\"}"),
                        stack.tokens().clientToken("operator", "ops:admin")));
    }

    /** Stops sending (a 404 means the run already ended) and waits until the run has completed its purchases. */
    static void endLoadRun() throws Exception {
        send("stopLoad", none());
        awaitNoLoadRun();
    }

    static void awaitNoLoadRun() throws Exception {
        await().atMost(Duration.ofMinutes(1))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(JSON.readTree(
                                        expect(200, send("loadReport", none())).body())
                                .path("state")
                                .asText())
                        .as("the executor's load run")
                        .isIn("idle", "done"));
    }
}
