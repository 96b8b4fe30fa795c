package io.github.camelotel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

    /**
     * Kafka in overlays/local: every client authenticates (SCRAM-SHA-512), the brokers authorize by ACL, and each app
     * has a KafkaUser whose ACLs are exactly what its routes need: its own topics, its own group, its dead letters.
     */
    @Test
    void eachAppMayWriteAndReadOnlyItsOwnTopics() throws Exception {
        assertThat(Security.aclsFromRoutes())
                .as("the rights the routes need (routes/<app>/*.camel.yaml) are the table of Security.KAFKA_ACLS")
                .isEqualTo(Security.KAFKA_ACLS);
        assertThat(Security.deadLettersGoToTopicDotDlt()).isTrue();
        assertThat(Project.platformDefault("camel.component.kafka.group-id"))
                .as("the consumer group is the app's name")
                .isEqualTo("${spring.application.name}");

        Map<String, JsonNode> users = new LinkedHashMap<>();
        JsonNode kafka = null;
        for (String doc : Manifests.render(Project.ROOT.resolve("k8s/overlays/local"), false)) {
            JsonNode node = Manifests.YAML.readTree(doc);
            switch (node.path("kind").asText()) {
                case "KafkaUser" -> users.put(node.path("metadata").path("name").asText(), node);
                case "Kafka" -> kafka = node;
                default -> {}
            }
        }
        assertThat(kafka).as("the Kafka resource").isNotNull();
        JsonNode listener = null;
        for (JsonNode l : kafka.path("spec").path("kafka").path("listeners")) {
            if (l.path("port").asInt() == 9092) {
                listener = l;
            }
        }
        assertThat(listener).as("the apps' listener (9092)").isNotNull();
        assertThat(listener.path("authentication").path("type").asText())
                .as("the apps' listener authenticates")
                .isEqualTo("scram-sha-512");
        assertThat(kafka.path("spec")
                        .path("kafka")
                        .path("authorization")
                        .path("type")
                        .asText())
                .as("the brokers authorize by ACL")
                .isEqualTo("simple");
        assertThat(kafka.path("spec").path("kafka").path("authorization").has("superUsers"))
                .as("no super user")
                .isFalse();
        assertThat(kafka.path("spec").path("entityOperator").has("userOperator"))
                .as("the User Operator makes the users' Secrets")
                .isTrue();

        for (var app : Security.KAFKA_ACLS.entrySet()) {
            JsonNode user = users.get(app.getKey());
            assertThat(user).as("KafkaUser " + app.getKey()).isNotNull();
            assertThat(user.path("metadata")
                            .path("labels")
                            .path("strimzi.io/cluster")
                            .asText())
                    .isEqualTo("kafka");
            assertThat(user.path("spec").path("authentication").path("type").asText())
                    .isEqualTo("scram-sha-512");
            assertThat(acls(user)).as("ACLs of KafkaUser " + app.getKey()).isEqualTo(app.getValue());
            System.out.printf("KafkaUser %s: %s%n", app.getKey(), new TreeSet<>(app.getValue()));
        }
        // any other user (KEDA's lag reader) may only describe
        for (var user : users.entrySet()) {
            if (!Security.KAFKA_ACLS.containsKey(user.getKey())) {
                assertThat(acls(user.getValue()))
                        .as("KafkaUser " + user.getKey() + " (not an app) only describes")
                        .isNotEmpty()
                        .allMatch(acl -> acl.endsWith(": Describe"));
            }
        }
    }

    /** A KafkaUser's ACLs as "type name: operation", literal names only, on any host. */
    static Set<String> acls(JsonNode user) {
        assertThat(user.path("spec").path("authorization").path("type").asText())
                .isEqualTo("simple");
        Set<String> acls = new TreeSet<>();
        for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
            JsonNode resource = acl.path("resource");
            assertThat(resource.path("patternType").asText("literal"))
                    .as("no prefix or wildcard ACL")
                    .isEqualTo("literal");
            assertThat(resource.path("name").asText()).doesNotContain("*");
            assertThat(acl.path("type").asText("allow")).isEqualTo("allow");
            List<String> operations = new ArrayList<>();
            acl.path("operations").forEach(o -> operations.add(o.asText()));
            if (acl.has("operation")) {
                operations.add(acl.path("operation").asText());
            }
            for (String operation : operations) {
                acls.add(resource.path("type").asText() + " "
                        + resource.path("name").asText() + ": " + operation);
            }
        }
        return acls;
    }

    /**
     * No secret in the repository: docker-compose.yml takes every credential from a variable, the identity
     * provider's from the environment only (${NAME:?...}, absent from .env); .env holds no credential but the apps'
     * own local defaults; the realm file's client secrets and password are placeholders; the realm's clients and
     * demo customers are those of the security model.
     */
    @Test
    void noSecretInComposeEnvOrRealm() throws Exception {
        Map<String, String> dotEnv = Security.dotEnv();
        List<String> found = new ArrayList<>();
        dotEnv.forEach((name, value) -> {
            if (Security.SECRETISH.matcher(name).matches() && !Security.LOCAL_DEFAULTS.contains(name)) {
                found.add(".env sets " + name);
            }
        });

        String composeText = Project.read(Project.ROOT.resolve("docker-compose.yml"));
        JsonNode compose = Manifests.YAML.readTree(composeText);
        Set<String> requiredFromEnvironment = new TreeSet<>();
        var placeholder = java.util.regex.Pattern.compile("^\\$\\{([A-Z][A-Z0-9_]*)(:\\?[^}]+)?}$");
        for (var service : iterable(compose.path("services").fields())) {
            for (var variable : iterable(service.getValue().path("environment").fields())) {
                if (!Security.SECRETISH.matcher(variable.getKey()).matches()) {
                    continue;
                }
                var m = placeholder.matcher(variable.getValue().asText());
                String where = "docker-compose.yml " + service.getKey() + " " + variable.getKey();
                if (!m.matches()) {
                    found.add(where + " is not a ${VARIABLE}");
                } else if (m.group(2) != null) {
                    requiredFromEnvironment.add(m.group(1));
                } else if (!Security.LOCAL_DEFAULTS.contains(m.group(1))) {
                    found.add(where + " is not required from the environment (${" + m.group(1) + ":?...})");
                }
            }
        }
        assertThat(found).as("credentials in docker-compose.yml or .env").isEmpty();

        Set<String> identitySecrets = union(Security.realmPlaceholders(), Set.of(Security.ADMIN_PASSWORD));
        assertThat(requiredFromEnvironment)
                .as("the identity provider's secrets, required from the environment by docker-compose.yml")
                .isEqualTo(identitySecrets);
        assertThat(dotEnv.keySet()).as(".env").doesNotContainAnyElementsOf(identitySecrets);
        assertThat(Project.read(Project.ROOT.resolve(".gitignore")))
                .as("the file the README generates them into is git-ignored")
                .contains(".env.secrets");
        JsonNode keycloak = compose.path("services").path("keycloak");
        for (String name : Security.realmPlaceholders()) {
            assertThat(keycloak.path("environment").path(name).asText())
                    .as("compose passes " + name + " to Keycloak, which resolves the realm file with it")
                    .startsWith("${" + name + ":?");
        }
        assertThat(keycloak.path("environment").path("KC_HOSTNAME").asText() + "/realms/purchases")
                .as("the iss of Keycloak's tokens is the apps' default issuer")
                .isEqualTo(Security.ISSUER_ON_HOST.replace("8180", "${KEYCLOAK_PORT}"));
        assertThat(dotEnv).containsEntry("KEYCLOAK_PORT", "8180");
        assertThat(keycloak.path("volumes").toString())
                .contains("./infra/keycloak/purchases-realm.json:/opt/keycloak/data/import/purchases-realm.json:ro");

        // the realm file: every credential a placeholder
        List<String> literal = new ArrayList<>();
        walkRealm(Security.realm(), "", literal);
        assertThat(literal).as("credentials written in the realm file").isEmpty();

        Map<String, Set<String>> scopes = new TreeMap<>();
        for (JsonNodeClient client : realmClients()) {
            Set<String> own = new TreeSet<>(client.scopes());
            assertThat(own).as(client.id() + " tokens carry sub (scope basic)").contains("basic");
            own.remove("basic");
            scopes.put(client.id(), own);
            assertThat(client.publicClient() || Security.placeholder(client.secret()) != null)
                    .as(client.id() + ": public, or its secret a placeholder")
                    .isTrue();
        }
        assertThat(scopes).as("the realm's clients and their scopes").isEqualTo(Security.CLIENT_SCOPES);
        Map<String, String> customers = new TreeMap<>();
        Map<String, String> serviceAccounts = new TreeMap<>();
        for (JsonNode user : Security.realm().path("users")) {
            if (user.has("serviceAccountClientId")) {
                serviceAccounts.put(
                        user.path("serviceAccountClientId").asText(),
                        user.path("id").asText());
            } else {
                customers.put(user.path("id").asText(), user.path("email").asText());
            }
        }
        assertThat(customers).as("demo customers: user id = customer id").isEqualTo(Security.CUSTOMERS);
        Map<String, String> byClientId = new TreeMap<>();
        realmClients().stream()
                .filter(client -> !client.publicClient())
                .forEach(client -> byClientId.put(client.id(), client.id()));
        assertThat(serviceAccounts)
                .as("each confidential client's service account has the client id as its id (a token's sub)")
                .isEqualTo(byClientId);
        System.out.printf(
                "compose and realm: identity secrets %s required from the environment; clients %s%n",
                identitySecrets, scopes);
    }

    /** The realm representation's fields that hold a credential (and a user credential's value). */
    static final Set<String> REALM_CREDENTIALS =
            Set.of("secret", "password", "secretData", "credentialData", "hashedSaltedValue", "salt");

    /** Fields of the realm that hold a credential: secret, password, a credential's value. */
    static void walkRealm(JsonNode node, String path, List<String> literal) {
        if (node.isObject()) {
            for (var field : iterable(node.fields())) {
                String key = field.getKey();
                JsonNode value = field.getValue();
                boolean credential =
                        REALM_CREDENTIALS.contains(key) || key.equals("value") && path.contains("credentials");
                if (credential && value.isTextual() && Security.placeholder(value.asText()) == null) {
                    literal.add(path + "." + key);
                }
                walkRealm(value, path + "." + key, literal);
            }
        } else if (node.isArray()) {
            int i = 0;
            for (JsonNode item : node) {
                walkRealm(item, path + "[" + i++ + "]", literal);
            }
        }
    }

    static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        return () -> iterator;
    }

    @Test
    void manifestsAreValidAndAllowOnlyTheArchitecturesFlows() throws Exception {
        boolean kubectl = Manifests.kubectlPresent();
        var dir = Project.ROOT.resolve(kubectl ? "k8s/overlays/local" : "k8s/base");
        List<HasMetadata> parsed = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<String> docs = Manifests.render(dir, kubectl);
        checkNoCredentialIn(docs);
        for (String doc : docs) {
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
        checkIdentity(apps, configMaps, services);
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
            if (env.getName().matches(".*(PASSWORD|SECRET|ACCESS_KEY|USER|USERNAME|JAASCONFIG)$")) {
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
        // Kafka: SCRAM, with the credentials of the app's own KafkaUser (the Secret of that name, Strimzi's)
        assertThat(set)
                .contains(
                        "CAMEL_COMPONENT_KAFKA_SECURITYPROTOCOL",
                        "CAMEL_COMPONENT_KAFKA_SASLMECHANISM",
                        "CAMEL_COMPONENT_KAFKA_SASLJAASCONFIG");
        var jaas = env(c, "CAMEL_COMPONENT_KAFKA_SASLJAASCONFIG").getValueFrom().getSecretKeyRef();
        assertThat(jaas.getName() + "/" + jaas.getKey())
                .as(app + " Kafka credentials: its KafkaUser's Secret")
                .isEqualTo(app + "/sasl.jaas.config");
        assertThat(config.getData())
                .containsEntry("CAMEL_COMPONENT_KAFKA_SECURITYPROTOCOL", "SASL_PLAINTEXT")
                .containsEntry("CAMEL_COMPONENT_KAFKA_SASLMECHANISM", "SCRAM-SHA-512");
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

    static EnvVar env(Container c, String name) {
        return c.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
    }

    /**
     * The identity provider: every app knows the issuer (the ConfigMap's OAUTH2_ISSUER_URI, which is what Keycloak
     * puts in iss), the three calling apps get their client secret from Secret purchases-oauth2, under the key
     * Keycloak reads the same client's secret from; no other app gets one.
     */
    void checkIdentity(List<Deployment> deployments, Map<String, ConfigMap> configMaps, Map<String, Service> services) {
        ConfigMap config = configMaps.get("purchases-config");
        assertThat(config.getData()).containsEntry("OAUTH2_ISSUER_URI", Security.ISSUER_IN_CLUSTER);
        Map<String, Container> containers = new LinkedHashMap<>();
        deployments.forEach(d -> containers.put(
                d.getMetadata().getName(),
                d.getSpec().getTemplate().getSpec().getContainers().get(0)));
        Map<String, String> clientSecretKeys = new TreeMap<>();
        for (String app : Project.APPS.keySet()) {
            Container c = containers.get(app);
            var issuer = env(c, "OAUTH2_ISSUER_URI").getValueFrom().getConfigMapKeyRef();
            assertThat(issuer.getName() + "/" + issuer.getKey())
                    .as(app + " OAUTH2_ISSUER_URI")
                    .isEqualTo("purchases-config/OAUTH2_ISSUER_URI");
            var secret = c.getEnv().stream()
                    .filter(e -> e.getName().equals("OAUTH2_CLIENT_SECRET"))
                    .findFirst();
            if (Security.CALLING_APPS.contains(app)) {
                assertThat(secret).as(app + " OAUTH2_CLIENT_SECRET").isPresent();
                var ref = secret.get().getValueFrom().getSecretKeyRef();
                assertThat(ref).as(app + " OAUTH2_CLIENT_SECRET from a Secret").isNotNull();
                assertThat(ref.getName()).isEqualTo("purchases-oauth2");
                clientSecretKeys.put(app, ref.getKey());
            } else {
                assertThat(secret)
                        .as(app + " needs no client secret (it calls no app)")
                        .isEmpty();
            }
        }
        assertThat(clientSecretKeys.keySet()).isEqualTo(Security.CALLING_APPS);
        System.out.printf("identity: issuer %s, client secrets %s%n", Security.ISSUER_IN_CLUSTER, clientSecretKeys);

        Container keycloak = containers.get("keycloak");
        if (keycloak == null) {
            return; // k8s/base alone (kubectl absent): the identity provider is the overlay's
        }
        assertThat(env(keycloak, "KC_HOSTNAME").getValue() + "/realms/purchases")
                .as("the iss of Keycloak's tokens is the apps' issuer")
                .isEqualTo(Security.ISSUER_IN_CLUSTER);
        assertThat(services.get("keycloak").getSpec().getPorts().get(0).getPort())
                .isEqualTo(8080);
        // every placeholder of the realm file, and the admin password, from Secret purchases-oauth2
        Set<String> fromSecret = new TreeSet<>();
        for (EnvVar e : keycloak.getEnv()) {
            if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("purchases-oauth2");
                fromSecret.add(e.getName());
            }
        }
        Set<String> needed = new TreeSet<>(Security.realmPlaceholders());
        assertThat(fromSecret)
                .as("Keycloak's secrets: the realm file's placeholders and the admin password")
                .isEqualTo(union(needed, Set.of("KC_BOOTSTRAP_ADMIN_PASSWORD")));
        // the app and Keycloak read the same key for the same client
        for (JsonNodeClient client : realmClients()) {
            if (Security.CALLING_APPS.contains(client.id())) {
                String name = Security.placeholder(client.secret());
                assertThat(name).as("realm client " + client.id() + " secret").isNotNull();
                assertThat(env(keycloak, name).getValueFrom().getSecretKeyRef().getKey())
                        .as("client " + client.id() + ": Keycloak's key and the app's")
                        .isEqualTo(clientSecretKeys.get(client.id()));
            }
        }
        var realm = deployments.stream()
                .filter(d -> d.getMetadata().getName().equals("keycloak"))
                .findFirst()
                .orElseThrow()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getVolumes()
                .stream()
                .filter(v -> v.getConfigMap() != null)
                .findFirst()
                .orElseThrow();
        assertThat(configMaps.get(realm.getConfigMap().getName()).getData())
                .as("the realm ConfigMap: infra/keycloak's file, the one docker-compose.yml mounts")
                .containsEntry("purchases-realm.json", Project.read(Security.REALM));
    }

    record JsonNodeClient(String id, String secret, Set<String> scopes, boolean publicClient) {}

    static List<JsonNodeClient> realmClients() {
        List<JsonNodeClient> clients = new ArrayList<>();
        for (var c : Security.realm().path("clients")) {
            Set<String> scopes = new TreeSet<>();
            c.path("defaultClientScopes").forEach(n -> scopes.add(n.asText()));
            c.path("optionalClientScopes").forEach(n -> scopes.add(n.asText()));
            clients.add(new JsonNodeClient(
                    c.path("clientId").asText(),
                    c.path("secret").asText(""),
                    scopes,
                    c.path("publicClient").asBoolean()));
        }
        return clients;
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * No credential in the rendered manifests: no Secret (with or without data), no credential-like variable with
     * a literal value, no ConfigMap key that looks like one, no JAAS or SCRAM login anywhere.
     */
    static void checkNoCredentialIn(List<String> docs) throws Exception {
        List<String> found = new ArrayList<>();
        for (String doc : docs) {
            var node = Manifests.YAML.readTree(doc);
            String what = node.path("kind").asText() + " "
                    + node.path("metadata").path("name").asText();
            if (node.path("kind").asText().equals("Secret")) {
                found.add(what + ": a Secret" + (node.has("data") || node.has("stringData") ? " with data" : ""));
            }
            if (node.path("kind").asText().equals("ConfigMap")) {
                node.path("data").fieldNames().forEachRemaining(key -> {
                    if (Security.SECRETISH.matcher(key).matches()) {
                        found.add(what + ": data key " + key);
                    }
                });
            }
            walkEnv(node, what, found);
            if (doc.contains("LoginModule") || doc.matches("(?s).*password=\\S.*")) {
                found.add(what + ": a JAAS login or password=");
            }
        }
        assertThat(found).as("credentials in the rendered manifests").isEmpty();
    }

    private static void walkEnv(JsonNode node, String what, List<String> found) {
        if (node.isObject()) {
            if (node.has("name")
                    && node.has("value")
                    && node.size() == 2
                    && Security.SECRETISH.matcher(node.get("name").asText()).matches()) {
                found.add(what + ": " + node.get("name").asText() + " has a literal value");
            }
            node.fields().forEachRemaining(e -> walkEnv(e.getValue(), what, found));
        } else if (node.isArray()) {
            node.forEach(n -> walkEnv(n, what, found));
        }
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
                "keycloak",
                new Pod("keycloak", NAMESPACE, here, Map.of("app.kubernetes.io/name", "keycloak"), 8080, "TCP"));
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
            expected.addAll(List.of(app + "->kafka", app + "->collector", app + "->dns", app + "->keycloak"));
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
        if (deployments.stream().anyMatch(d -> d.getMetadata().getName().equals("keycloak"))) {
            // the identity provider's own policy (overlays/local): the apps only, not the gateway nor anyone else
            for (String peer : List.of("gateway", "stranger", "outsider", "kafka", "minio")) {
                Pod from = pods.get(peer);
                Pod probe = new Pod(from.name(), from.namespace(), from.namespaceLabels(), from.labels(), 8080, "TCP");
                assertThat(flows.allowed(probe, pods.get("keycloak")))
                        .as(peer + " -> keycloak")
                        .isFalse();
            }
        }
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
