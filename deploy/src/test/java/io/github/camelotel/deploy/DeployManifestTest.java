package io.github.camelotel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.camelotel.deploy.NetworkFlows.Pod;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests of k8s/, checked as a reviewer would, without a cluster: rendered (kubectl kustomize
 * k8s/overlays/local where kubectl exists, else k8s/base from its files), parsed strictly with the fabric8 model
 * (an unknown field anywhere fails), applied to fabric8's mock API server in CRUD mode and read back from it.
 */
@EnableKubernetesMockClient(crud = true)
class DeployManifestTest {

    static final String NAMESPACE = "purchases";
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** API groups whose kinds the fabric8 model knows: a manifest of theirs must parse into a typed object. */
    static final Set<String> TYPED = Set.of(
            "v1", "apps/v1", "autoscaling/v2", "policy/v1", "networking.k8s.io/v1", "gateway.networking.k8s.io/v1");
    /** The operators' custom resources of overlays/local, which only their CRDs describe. */
    static final Set<String> CUSTOM = Set.of(
            "kafka.strimzi.io/v1beta2",
            "postgresql.cnpg.io/v1",
            "keda.sh/v1alpha1",
            "opentelemetry.io/v1beta1",
            "redis.redis.opstreelabs.in/v1beta2");
    /** The topics of the local stack (Infrastructure.TOPICS) and docker-compose.yml. */
    static final Set<String> TOPICS = Set.of(
            "Purchase", "Purchase2", "Purchase.DLT", "Purchase2.DLT", "PurchaseCompleted", "PurchaseCompleted.DLT");

    KubernetesClient client;

    @Test
    void strictParsingCatchesAMisspelledField() {
        HasMetadata deployment = SERIALIZATION.unmarshal("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: typo}
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          readinesProbe: {httpGet: {path: /, port: 80}}
                """);
        assertThat(unknownFields(deployment))
                .containsExactly("Deployment typo: spec.template.spec.containers[0] has unknown [readinesProbe]");
    }

    @Test
    void manifestsAreValidAndAllowOnlyTheArchitecturesFlows() throws Exception {
        boolean kubectl = Manifests.kubectlPresent();
        var dir = Project.ROOT.resolve(kubectl ? "k8s/overlays/local" : "k8s/base");
        List<HasMetadata> parsed = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String doc : Manifests.render(dir, kubectl)) {
            HasMetadata resource = SERIALIZATION.unmarshal(doc);
            if (TYPED.contains(resource.getApiVersion())) {
                assertThat(resource)
                        .as(resource.getKind() + " " + resource.getMetadata().getName())
                        .isNotInstanceOf(GenericKubernetesResource.class);
            } else {
                assertThat(CUSTOM).as("API of " + resource.getKind()).contains(resource.getApiVersion());
            }
            unknown.addAll(unknownFields(resource));
            parsed.add(resource);
        }
        assertThat(unknown).as("fields the model does not know").isEmpty();
        assertThat(parsed)
                .as("credentials are referenced, never contained")
                .noneMatch(r -> r.getKind().equals("Secret"));
        apply(parsed);

        Map<String, Long> counts = new TreeMap<>(
                parsed.stream().collect(Collectors.groupingBy(HasMetadata::getKind, Collectors.counting())));
        System.out.printf(
                "%nrendered %s (%s): %d resources %s%n",
                Project.ROOT.relativize(dir),
                kubectl ? "kubectl kustomize" : "base files, kubectl absent",
                parsed.size(),
                counts);

        var apps = client.apps().deployments().inNamespace(NAMESPACE).list().getItems();
        Map<String, ConfigMap> configMaps = client.configMaps().inNamespace(NAMESPACE).list().getItems().stream()
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
        Map<String, Service> services = client.services().inNamespace(NAMESPACE).list().getItems().stream()
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
        for (Deployment deployment : apps) {
            checkContainers(deployment);
        }
        assertThat(apps).extracting(d -> d.getMetadata().getName()).containsAll(Project.APPS.keySet());
        for (Deployment deployment : apps) {
            if (Project.APPS.containsKey(deployment.getMetadata().getName())) {
                checkApp(deployment, configMaps, services);
            }
        }
        checkScaling();
        checkHttpRoute(services);
        checkNetworkPolicies(apps);
    }

    /** Every container: probes, requests and limits, not root, read-only root filesystem, no privilege escalation. */
    void checkContainers(Deployment deployment) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        for (Container c : pod.getContainers()) {
            String what = deployment.getMetadata().getName() + "/" + c.getName();
            assertThat(c.getReadinessProbe()).as(what + " readiness").isNotNull();
            assertThat(c.getLivenessProbe()).as(what + " liveness").isNotNull();
            assertThat(c.getResources().getRequests()).as(what + " requests").containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as(what + " limits").containsKeys("cpu", "memory");
            var podSc = pod.getSecurityContext();
            var sc = c.getSecurityContext();
            boolean nonRoot = Boolean.TRUE.equals(sc.getRunAsNonRoot())
                    || podSc != null && Boolean.TRUE.equals(podSc.getRunAsNonRoot());
            Long user = sc.getRunAsUser() != null ? sc.getRunAsUser() : podSc == null ? null : podSc.getRunAsUser();
            assertThat(nonRoot).as(what + " runAsNonRoot").isTrue();
            assertThat(user).as(what + " user").isNotNull().isPositive();
            assertThat(sc.getReadOnlyRootFilesystem())
                    .as(what + " read-only root")
                    .isTrue();
            assertThat(sc.getAllowPrivilegeEscalation())
                    .as(what + " privilege escalation")
                    .isFalse();
            assertThat(sc.getCapabilities().getDrop())
                    .as(what + " capabilities")
                    .contains("ALL");
            assertThat(c.getVolumeMounts())
                    .as(what + " writable /tmp")
                    .anyMatch(m -> m.getMountPath().equals("/tmp")
                            && pod.getVolumes().stream()
                                    .anyMatch(v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null));
        }
    }

    /** One of the five apps: its image, port, probes, variables, routes and stop. */
    void checkApp(Deployment deployment, Map<String, ConfigMap> configMaps, Map<String, Service> services)
            throws Exception {
        String app = deployment.getMetadata().getName();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        int port = Project.APPS.get(app);
        assertThat(c.getImage()).as(app + " image: Jib's").isEqualTo(Project.image(app));
        var jibOutput = Project.ROOT.resolve(app + "/target/jib-image.json");
        if (Files.exists(jibOutput)) {
            assertThat(Manifests.YAML.readTree(jibOutput.toFile()).get("image").asText())
                    .isEqualTo(c.getImage());
        }
        assertThat(c.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getContainerPort()).as(app + " port = server.port").isEqualTo(port);
            assertThat(p.getName()).isEqualTo("http");
        });
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        Service service = services.get(app);
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(port);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
        });
        assertThat(NetworkFlows.matches(
                        new io.fabric8.kubernetes.api.model.LabelSelector(
                                null, service.getSpec().getSelector()),
                        deployment.getSpec().getTemplate().getMetadata().getLabels()))
                .as(app + " service selects its pods")
                .isTrue();

        Set<String> read = Project.variablesRead(app);
        Set<String> set = new TreeSet<>();
        ConfigMap config = configMaps.get("purchases-config");
        for (EnvVar env : c.getEnv()) {
            set.add(env.getName());
            assertThat(read.contains(env.getName()) || env.getName().startsWith("OTEL_"))
                    .as(app + " sets " + env.getName() + ", which it does not read (it reads " + read + ")")
                    .isTrue();
            if (env.getName().matches(".*(PASSWORD|SECRET|ACCESS_KEY|USER|USERNAME)$")) {
                assertThat(env.getValueFrom().getSecretKeyRef())
                        .as(app + " " + env.getName() + " from a Secret")
                        .isNotNull();
            }
            if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null) {
                assertThat(config.getData())
                        .as(app + " " + env.getName())
                        .containsKey(env.getValueFrom().getConfigMapKeyRef().getKey());
            }
        }
        assertThat(set).contains("ROUTES_DIR", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_TRACES_EXPORTER");
        assertThat(config.getData().get("OTEL_EXPORTER_OTLP_ENDPOINT")).isEqualTo("http://otel-collector:4318");
        System.out.printf("%s: port %d, image %s, env %s%n", app, port, c.getImage(), set);

        // the routes and contracts under ROUTES_DIR: every YAML and JSON file of routes/common and routes/<app>, no
        // more
        String routesDir = c.getEnv().stream()
                .filter(e -> e.getName().equals("ROUTES_DIR"))
                .findFirst()
                .orElseThrow()
                .getValue();
        for (String folder : List.of("common", app)) {
            var mount = c.getVolumeMounts().stream()
                    .filter(m -> m.getMountPath().equals(routesDir + "/" + folder))
                    .findFirst();
            assertThat(mount).as(app + " mounts " + folder).isPresent();
            Volume volume = pod.getVolumes().stream()
                    .filter(v -> v.getName().equals(mount.get().getName()))
                    .findFirst()
                    .orElseThrow();
            ConfigMap routes = configMaps.get(volume.getConfigMap().getName());
            assertThat(routes)
                    .as(app + " ConfigMap " + volume.getConfigMap().getName())
                    .isNotNull();
            assertThat(routes.getData().keySet())
                    .as("routes/kustomization.yaml lists routes/" + folder)
                    .isEqualTo(Project.routeFiles(folder));
        }

        // the pod outlives the app's own stop: the pause before it, then Tomcat's and Camel's shutdown
        long preStop = c.getLifecycle().getPreStop().getSleep().getSeconds();
        long ownStop = Long.parseLong(Project.platformDefault("spring.lifecycle.timeout-per-shutdown-phase")
                        .replace("s", ""))
                + Long.parseLong(Project.platformDefault("camel.main.shutdown-timeout"));
        assertThat(pod.getTerminationGracePeriodSeconds())
                .as(app + " grace period")
                .isGreaterThan(preStop + ownStop);
    }

    /** HPAs on CPU for the HTTP apps, KEDA on lag for the consumers (no more pods than partitions), PDBs. */
    void checkScaling() throws Exception {
        Map<String, Integer> partitions = new HashMap<>();
        for (String doc : Manifests.render(Project.ROOT.resolve("k8s/overlays/local"), false)) {
            var node = Manifests.YAML.readTree(doc);
            if ("KafkaTopic".equals(node.path("kind").asText())) {
                partitions.put(
                        node.path("spec").path("topicName").asText(),
                        node.path("spec").path("partitions").asInt());
            }
        }
        assertThat(partitions.keySet()).isEqualTo(TOPICS);
        assertThat(partitions.values()).allMatch(p -> p == 4);
        for (String app : List.of("app1-api", "app3-api")) {
            HorizontalPodAutoscaler hpa = client.autoscaling()
                    .v2()
                    .horizontalPodAutoscalers()
                    .inNamespace(NAMESPACE)
                    .withName(app)
                    .get();
            assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(app);
            assertThat(hpa.getSpec().getMetrics())
                    .singleElement()
                    .satisfies(m -> assertThat(m.getResource().getName()).isEqualTo("cpu"));
        }
        var scaledObjects = client.genericKubernetesResources(context("keda.sh", "v1alpha1", "ScaledObject"))
                .inNamespace(NAMESPACE);
        for (String app : List.of("app2-consumer", "app4-worker")) {
            GenericKubernetesResource scaled = scaledObjects.withName(app).get();
            Map<String, Object> spec = scaled.get("spec");
            @SuppressWarnings("unchecked")
            Map<String, Object> trigger = (Map<String, Object>) ((List<?>) spec.get("triggers")).get(0);
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = (Map<String, Object>) trigger.get("metadata");
            assertThat(trigger.get("type")).isEqualTo("kafka");
            assertThat(metadata.get("consumerGroup"))
                    .as("group id = spring.application.name")
                    .isEqualTo(app);
            String topic = (String) metadata.get("topic");
            int max = ((Number) spec.get("maxReplicaCount")).intValue();
            assertThat(max)
                    .as(app + " max replicas ≤ partitions of " + topic)
                    .isLessThanOrEqualTo(partitions.get(topic));
            assertThat(((Map<?, ?>) spec.get("scaleTargetRef")).get("name")).isEqualTo(app);
            System.out.printf(
                    "%s: KEDA on lag of %s, %s..%d replicas, %d partitions%n",
                    app, topic, spec.get("minReplicaCount"), max, partitions.get(topic));
        }
        for (String app : List.of("app1-api", "app2-consumer", "app3-api", "app4-worker")) {
            PodDisruptionBudget pdb = client.policy()
                    .v1()
                    .podDisruptionBudget()
                    .inNamespace(NAMESPACE)
                    .withName(app)
                    .get();
            assertThat(pdb.getSpec().getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", app);
        }
    }

    /** The way in: app1's purchases and app3's reads (GET only), to Services that exist on those ports. */
    void checkHttpRoute(Map<String, Service> services) {
        HTTPRoute route = client.resources(HTTPRoute.class)
                .inNamespace(NAMESPACE)
                .withName("purchases")
                .get();
        Map<String, String> backends = new LinkedHashMap<>();
        for (var rule : route.getSpec().getRules()) {
            var match = rule.getMatches().get(0);
            var backend = rule.getBackendRefs().get(0);
            backends.put(
                    match.getMethod() + " " + match.getPath().getValue(), backend.getName() + ":" + backend.getPort());
            assertThat(services.get(backend.getName())
                            .getSpec()
                            .getPorts()
                            .get(0)
                            .getPort())
                    .isEqualTo(backend.getPort());
        }
        assertThat(backends)
                .containsExactly(
                        Map.entry("POST /Message", "app1-api:8081"), Map.entry("GET /orders/", "app3-api:8083"));
    }

    /** Every flow of the architecture allowed, and nothing else to or from an app. */
    void checkNetworkPolicies(List<Deployment> deployments) {
        NetworkFlows flows = new NetworkFlows(client.network()
                .v1()
                .networkPolicies()
                .inNamespace(NAMESPACE)
                .list()
                .getItems());
        Map<String, String> here = Map.of("kubernetes.io/metadata.name", NAMESPACE);
        Map<String, Pod> pods = new LinkedHashMap<>();
        for (Deployment d : deployments) {
            var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            pods.put(
                    d.getMetadata().getName(),
                    new Pod(
                            d.getMetadata().getName(),
                            NAMESPACE,
                            here,
                            d.getSpec().getTemplate().getMetadata().getLabels(),
                            container.getPorts().get(0).getContainerPort(),
                            "TCP"));
        }
        // the operators' pods, with the labels they give them
        pods.put(
                "kafka",
                new Pod(
                        "kafka",
                        NAMESPACE,
                        here,
                        Map.of(
                                "strimzi.io/cluster",
                                "kafka",
                                "strimzi.io/kind",
                                "Kafka",
                                "strimzi.io/broker-role",
                                "true",
                                "strimzi.io/pool-name",
                                "dual-role"),
                        9092,
                        "TCP"));
        pods.put(
                "postgres",
                new Pod(
                        "postgres",
                        NAMESPACE,
                        here,
                        Map.of("cnpg.io/cluster", "postgres", "cnpg.io/instanceRole", "primary"),
                        5432,
                        "TCP"));
        pods.put("redis", new Pod("redis", NAMESPACE, here, Map.of("app", "redis", "role", "standalone"), 6379, "TCP"));
        pods.put(
                "collector",
                new Pod(
                        "collector",
                        NAMESPACE,
                        here,
                        Map.of(
                                "app.kubernetes.io/name",
                                "otel-collector",
                                "app.kubernetes.io/component",
                                "opentelemetry-collector"),
                        4318,
                        "TCP"));
        pods.putIfAbsent(
                "minio", new Pod("minio", NAMESPACE, here, Map.of("app.kubernetes.io/name", "minio"), 9000, "TCP"));
        pods.putIfAbsent(
                "mailpit",
                new Pod("mailpit", NAMESPACE, here, Map.of("app.kubernetes.io/name", "mailpit"), 1025, "TCP"));
        pods.put(
                "dns",
                new Pod(
                        "dns",
                        "kube-system",
                        Map.of("kubernetes.io/metadata.name", "kube-system"),
                        Map.of("k8s-app", "kube-dns"),
                        53,
                        "UDP"));
        pods.put(
                "gateway",
                new Pod(
                        "gateway",
                        "envoy-gateway-system",
                        Map.of(
                                "kubernetes.io/metadata.name",
                                "envoy-gateway-system",
                                "purchases.camelotel.io/gateway",
                                "true"),
                        Map.of("app.kubernetes.io/name", "envoy"),
                        0,
                        "TCP"));
        // and what must get nowhere: another pod of the namespace, a pod of another namespace
        pods.put(
                "stranger",
                new Pod("stranger", NAMESPACE, here, Map.of("app.kubernetes.io/name", "stranger"), 8080, "TCP"));
        pods.put(
                "outsider",
                new Pod(
                        "outsider",
                        "default",
                        Map.of("kubernetes.io/metadata.name", "default"),
                        Map.of("app", "curl"),
                        8080,
                        "TCP"));

        Set<String> expected = new TreeSet<>(Set.of(
                "executor->app1-api",
                "gateway->app1-api",
                "gateway->app3-api",
                "app1-api->app3-api",
                "app2-consumer->app3-api",
                "app3-api->postgres",
                "app3-api->redis",
                "app4-worker->redis",
                "app4-worker->minio",
                "app4-worker->mailpit"));
        for (String app : Project.APPS.keySet()) {
            expected.addAll(List.of(app + "->kafka", app + "->collector", app + "->dns"));
        }
        Set<String> allowed = new TreeSet<>();
        for (Pod from : pods.values()) {
            for (Pod to : pods.values()) {
                boolean involvesApp = Project.APPS.containsKey(from.name()) || Project.APPS.containsKey(to.name());
                if (from != to && to.port() > 0 && involvesApp && flows.allowed(from, to)) {
                    allowed.add(from.name() + "->" + to.name());
                }
            }
        }
        System.out.printf(
                "network policies allow %d flows, the architecture's %d: %s%n",
                allowed.size(), expected.size(), allowed);
        assertThat(allowed).isEqualTo(expected);
        Pod dnsTcp = new Pod(
                "dns",
                "kube-system",
                pods.get("dns").namespaceLabels(),
                pods.get("dns").labels(),
                53,
                "TCP");
        assertThat(flows.allowed(pods.get("app3-api"), dnsTcp))
                .as("DNS over TCP too")
                .isTrue();
    }

    void apply(List<HasMetadata> resources) {
        for (HasMetadata resource : resources) {
            if (resource instanceof GenericKubernetesResource generic) {
                String[] api = generic.getApiVersion().split("/");
                client.genericKubernetesResources(context(api[0], api[1], generic.getKind()))
                        .inNamespace(NAMESPACE)
                        .resource(generic)
                        .create();
            } else if (resource.getKind().equals("Namespace")) {
                client.resource(resource).create();
            } else {
                client.resource(resource).inNamespace(NAMESPACE).create();
            }
        }
    }

    static ResourceDefinitionContext context(String group, String version, String kind) {
        String plural = kind.toLowerCase(java.util.Locale.ROOT);
        return new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withKind(kind)
                .withPlural(plural.endsWith("s") ? plural : plural + "s")
                .withNamespaced(true)
                .build();
    }

    /** Fields the model did not know, anywhere in a typed resource (fabric8 keeps them as additional properties). */
    static List<String> unknownFields(HasMetadata resource) {
        List<String> problems = new ArrayList<>();
        String what = resource.getKind() + " " + resource.getMetadata().getName() + ": ";
        if (resource instanceof GenericKubernetesResource) {
            walk(resource.getMetadata(), "metadata", what, problems);
        } else {
            walk(resource, "", what, problems);
        }
        return problems;
    }

    private static void walk(Object value, String path, String what, List<String> problems) {
        if (value == null
                || value instanceof String
                || value instanceof Number
                || value instanceof Boolean
                || value instanceof Enum) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, what, problems));
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                walk(item, path + "[" + i++ + "]", what, problems);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || !getter.getName().startsWith("get")
                    || getter.getName().equals("getClass")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            String name = Character.toLowerCase(getter.getName().charAt(3))
                    + getter.getName().substring(4);
            if (name.equals("additionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(what + (path.isEmpty() ? "" : path.substring(1)) + " has unknown "
                            + new TreeSet<>(
                                    extra.keySet().stream().map(String::valueOf).toList()));
                }
            } else {
                walk(child, path + "." + name, what, problems);
            }
        }
    }
}
