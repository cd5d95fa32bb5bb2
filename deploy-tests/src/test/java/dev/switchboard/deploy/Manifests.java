package dev.switchboard.deploy;

import static dev.switchboard.deploy.Repo.at;
import static dev.switchboard.deploy.Repo.elements;
import static dev.switchboard.deploy.Repo.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A set of Kubernetes objects, either read from the files a kustomization lists or rendered by
 * {@code kubectl kustomize}, with the lookups the checks need (selectors, ports, env sources).
 *
 * @param name    how the set was obtained, for messages
 * @param objects the objects, in file order
 */
record Manifests(String name, List<JsonNode> objects) {

    /** Kinds whose pod template the checks look at. */
    static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet");

    /**
     * Reads the objects a kustomization lists: its {@code resources} (files, or directories with their own
     * kustomization, recursively) and {@code components}, and the Secrets its {@code secretGenerator} makes from
     * env files. Patches, images and the namespace are not applied; {@code kubectl kustomize} covers those.
     *
     * @param dir a directory holding {@code kustomization.yaml}
     */
    static Manifests fromFiles(Path dir) {
        List<JsonNode> objects = new ArrayList<>();
        collect(dir, objects);
        return new Manifests("files " + dir.getParent().getFileName() + "/" + dir.getFileName(), objects);
    }

    private static void collect(Path dir, List<JsonNode> into) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new AssertionError(dir + " has no kustomization.yaml");
        }
        JsonNode kustomization = Repo.yaml(file);
        List<JsonNode> entries = new ArrayList<>(elements(kustomization.path("resources")));
        entries.addAll(elements(kustomization.path("components")));
        for (JsonNode entry : entries) {
            Path target = dir.resolve(entry.asText()).normalize();
            if (Files.isDirectory(target)) {
                collect(target, into);
            } else if (Files.isRegularFile(target)) {
                into.addAll(Repo.yamlDocuments(target));
            } else {
                throw new AssertionError(file + " lists " + entry.asText() + ", which does not exist");
            }
        }
        for (JsonNode generator : elements(kustomization.path("secretGenerator"))) {
            ObjectNode secret = Repo.JSON.createObjectNode();
            secret.put("apiVersion", "v1").put("kind", "Secret");
            secret.putObject("metadata").put("name", generator.path("name").asText());
            ObjectNode data = secret.putObject("stringData");
            for (JsonNode envs : elements(generator.path("envs"))) {
                Path env = dir.resolve(envs.asText());
                if (!Files.isRegularFile(env)) {
                    throw new AssertionError(file + " generates a Secret from " + envs.asText()
                            + ", which does not exist (./switchboard secrets writes it)");
                }
                Repo.read(env)
                        .lines()
                        .filter(line -> !line.isBlank() && !line.startsWith("#") && line.contains("="))
                        .forEach(line ->
                                data.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
            }
            into.add(secret);
        }
    }

    /** Renders an overlay with {@code kubectl kustomize} (offline). */
    static Manifests fromKubectl(Path kubectl, Path dir) {
        String rendered = Repo.run(Duration.ofSeconds(60), kubectl.toString(), "kustomize", dir.toString());
        return new Manifests(
                "kubectl kustomize " + dir.getParent().getFileName() + "/" + dir.getFileName(),
                Repo.yamlDocuments(rendered));
    }

    /** @return every object of the kind */
    List<JsonNode> all(String kind) {
        return objects.stream()
                .filter(o -> kind.equals(o.path("kind").asText()))
                .toList();
    }

    /** @return the object of that kind and name, if any */
    Optional<JsonNode> find(String kind, String name) {
        return all(kind).stream()
                .filter(o -> name.equals(o.at("/metadata/name").asText()))
                .findFirst();
    }

    /** @return the object of that kind and name */
    JsonNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(this.name + ": no " + kind + " " + name));
    }

    /** @return Deployments and StatefulSets */
    List<JsonNode> workloads() {
        return objects.stream()
                .filter(o -> WORKLOAD_KINDS.contains(o.path("kind").asText()))
                .toList();
    }

    /** @return the workload of that name (Deployment or StatefulSet), if any */
    Optional<JsonNode> workload(String name) {
        return workloads().stream()
                .filter(o -> name.equals(o.at("/metadata/name").asText()))
                .findFirst();
    }

    /** @return the ConfigMap's data, or an empty map */
    Map<String, String> configMapData(String name) {
        return find("ConfigMap", name).map(cm -> strings(cm.path("data"))).orElse(Map.of());
    }

    /** @return the Secret's keys and values ({@code stringData}, and {@code data} decoded from base64) */
    Optional<Map<String, String>> secretData(String name) {
        return find("Secret", name).map(s -> {
            Map<String, String> out = new HashMap<>();
            strings(s.path("data"))
                    .forEach((k, v) ->
                            out.put(k, new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
            out.putAll(strings(s.path("stringData")));
            return out;
        });
    }

    private static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new HashMap<>();
        map.properties()
                .forEach(e -> out.put(
                        e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        return out;
    }

    /** @return the workload's pod template labels */
    static Map<String, String> podLabels(JsonNode workload) {
        return strings(workload.at("/spec/template/metadata/labels"));
    }

    /** @return the workload's containers */
    static List<JsonNode> containers(JsonNode workload) {
        return elements(workload.at("/spec/template/spec/containers"));
    }

    /** @return the container ports declared by any container of the workload */
    static List<JsonNode> containerPorts(JsonNode workload) {
        List<JsonNode> ports = new ArrayList<>();
        containers(workload).forEach(c -> ports.addAll(elements(c.path("ports"))));
        return ports;
    }

    /**
     * Resolves a probe or Service target port (a number, or a container port's name) against a workload.
     *
     * @return the container port number it means, or empty when no container declares it
     */
    static Optional<Integer> resolvePort(JsonNode workload, JsonNode port) {
        for (JsonNode declared : containerPorts(workload)) {
            if (port.isInt() && port.asInt() == declared.path("containerPort").asInt()
                    || port.isTextual()
                            && port.asText().equals(declared.path("name").asText())) {
                return Optional.of(declared.path("containerPort").asInt());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a label selector (a plain map as in Services, or {@code matchLabels}/{@code matchExpressions})
     * selects the labels. An empty selector selects nothing here: none of ours is meant to select everything.
     */
    static boolean selects(JsonNode selector, Map<String, String> labels) {
        boolean structured = selector.has("matchLabels") || selector.has("matchExpressions");
        JsonNode matchLabels = structured ? selector.path("matchLabels") : selector;
        boolean any = false;
        for (var e : matchLabels.properties()) {
            any = true;
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : elements(selector.path("matchExpressions"))) {
            any = true;
            String key = expression.path("key").asText();
            List<String> values = elements(expression.path("values")).stream()
                    .map(JsonNode::asText)
                    .toList();
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> throw new AssertionError("unknown selector operator " + expression);
            };
            if (!ok) {
                return false;
            }
        }
        return any;
    }

    /** @return the object's own labels */
    static Map<String, String> labels(JsonNode object) {
        return strings(object.at("/metadata/labels"));
    }

    /** @return the names of the ConfigMaps and Secrets a container takes its environment from */
    static List<String> envFromNames(JsonNode container, String refKind) {
        return elements(container.path("envFrom")).stream()
                .map(ref -> text(at(ref, refKind, "name")))
                .flatMap(Optional::stream)
                .toList();
    }

    @Override
    public String toString() {
        return name;
    }
}
