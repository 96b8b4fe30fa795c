package io.github.camelotel.deploy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;

/** Kubernetes' NetworkPolicy semantics for pod-to-pod connections, to evaluate the policies of k8s/base. */
final class NetworkFlows {

    /** A pod: its namespace (and that namespace's labels), its labels and the port it listens on (0: none). */
    record Pod(
            String name,
            String namespace,
            Map<String, String> namespaceLabels,
            Map<String, String> labels,
            int port,
            String protocol) {}

    private final List<NetworkPolicy> policies;

    NetworkFlows(List<NetworkPolicy> policies) {
        this.policies = policies;
    }

    /** Whether {@code from} may open a connection to {@code to} on its port: egress of the one, ingress of the other. */
    boolean allowed(Pod from, Pod to) {
        return direction(from, "Egress", to, to) && direction(to, "Ingress", from, to);
    }

    /** An isolated pod (selected by a policy of this type) needs one rule that admits the peer on the port. */
    private boolean direction(Pod subject, String type, Pod peer, Pod target) {
        List<NetworkPolicy> selecting = policies.stream()
                .filter(p -> p.getMetadata().getNamespace().equals(subject.namespace()))
                .filter(p -> matches(p.getSpec().getPodSelector(), subject.labels()))
                .filter(p -> types(p).contains(type))
                .toList();
        if (selecting.isEmpty()) {
            return true;
        }
        for (NetworkPolicy policy : selecting) {
            String ns = policy.getMetadata().getNamespace();
            if (type.equals("Egress")) {
                for (var rule : policy.getSpec().getEgress()) {
                    if (peers(rule.getTo(), ns, peer) && ports(rule.getPorts(), target)) {
                        return true;
                    }
                }
            } else {
                for (var rule : policy.getSpec().getIngress()) {
                    if (peers(rule.getFrom(), ns, peer) && ports(rule.getPorts(), target)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<String> types(NetworkPolicy policy) {
        List<String> types = policy.getSpec().getPolicyTypes();
        if (types != null && !types.isEmpty()) {
            return types;
        }
        return policy.getSpec().getEgress() == null
                        || policy.getSpec().getEgress().isEmpty()
                ? List.of("Ingress")
                : List.of("Ingress", "Egress");
    }

    private static boolean peers(List<NetworkPolicyPeer> peers, String policyNamespace, Pod pod) {
        if (peers == null || peers.isEmpty()) {
            return true; // no "to"/"from": any peer
        }
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                continue; // pods here are matched by labels only
            }
            boolean namespace = peer.getNamespaceSelector() == null
                    ? pod.namespace().equals(policyNamespace)
                    : matches(peer.getNamespaceSelector(), pod.namespaceLabels());
            boolean labels = peer.getPodSelector() == null || matches(peer.getPodSelector(), pod.labels());
            if (namespace && labels) {
                return true;
            }
        }
        return false;
    }

    private static boolean ports(List<NetworkPolicyPort> ports, Pod target) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPort port : ports) {
            String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
            if (!protocol.equals(target.protocol())) {
                continue;
            }
            if (port.getPort() == null) {
                return true;
            }
            int first = port.getPort().getIntVal();
            int last = port.getEndPort() == null ? first : port.getEndPort();
            if (target.port() >= first && target.port() <= last) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null) {
            for (var label : selector.getMatchLabels().entrySet()) {
                if (!label.getValue().equals(labels.get(label.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement e : selector.getMatchExpressions()) {
                String value = labels.get(e.getKey());
                boolean ok = switch (e.getOperator()) {
                    case "In" -> value != null && e.getValues().contains(value);
                    case "NotIn" -> value == null || !e.getValues().contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> throw new IllegalArgumentException("operator " + e.getOperator());
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
