package io.github.camelotel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the apps spend their CPU and their pauses: a JFR CPU profile of a running app (started with jcmd), summed
 * by the code each sample was running (its top frame's library), and the GC pauses from each app's GC log.
 */
final class Profiles {

    /** Libraries by package prefix, to sum a profile's samples by what the code is (the longest prefix wins). */
    private static final Map<String, String> LIBRARIES = new LinkedHashMap<>();

    static {
        LIBRARIES.put("io.opentelemetry.", "OpenTelemetry SDK/exporter");
        LIBRARIES.put("org.apache.camel.tracing.", "Camel tracing");
        LIBRARIES.put("org.apache.camel.opentelemetry.", "Camel tracing");
        LIBRARIES.put("org.apache.camel.", "Camel");
        LIBRARIES.put("org.apache.kafka.", "Kafka client");
        LIBRARIES.put("org.apache.hc.", "HTTP client");
        LIBRARIES.put("org.apache.catalina.", "Tomcat");
        LIBRARIES.put("org.apache.coyote.", "Tomcat");
        LIBRARIES.put("org.apache.tomcat.", "Tomcat");
        LIBRARIES.put("org.springframework.", "Spring");
        LIBRARIES.put("com.fasterxml.jackson.", "Jackson (JSON)");
        LIBRARIES.put("com.networknt.", "JSON schema validation");
        LIBRARIES.put("org.postgresql.", "PostgreSQL driver");
        LIBRARIES.put("com.zaxxer.hikari.", "Hikari pool");
        LIBRARIES.put("io.lettuce.", "Redis client");
        LIBRARIES.put("io.netty.", "Netty");
        LIBRARIES.put("io.minio.", "MinIO client");
        LIBRARIES.put("okhttp3.", "MinIO client");
        LIBRARIES.put("com.samskivert.mustache.", "Mustache");
        LIBRARIES.put("jakarta.mail.", "Jakarta Mail");
        LIBRARIES.put("org.eclipse.angus.", "Jakarta Mail");
        LIBRARIES.put("ch.qos.logback.", "Logging");
        LIBRARIES.put("org.slf4j.", "Logging");
        LIBRARIES.put("io.micrometer.", "Micrometer");
        LIBRARIES.put("io.github.camelotel.", "this project");
        LIBRARIES.put("java.util.regex.", "JDK regex");
        LIBRARIES.put("java.util.zip.", "JDK zip/gzip");
        LIBRARIES.put("sun.nio.", "JDK I/O");
        LIBRARIES.put("java.io.", "JDK I/O");
        LIBRARIES.put("java.net.", "JDK I/O");
        LIBRARIES.put("sun.security.", "JDK security/crypto");
        LIBRARIES.put("java.", "JDK other");
        LIBRARIES.put("jdk.", "JDK other");
        LIBRARIES.put("sun.", "JDK other");
    }

    private static final Pattern PAUSE = Pattern.compile("\\[([0-9.]+)s\\].*Pause.* ([0-9.]+)ms$");

    private Profiles() {}

    /** Starts a JFR recording of {@code seconds} in the JVM {@code pid}, written to {@code file} when it ends. */
    static void startRecording(long pid, int seconds, Path file) throws IOException, InterruptedException {
        Processes.jcmd(
                pid,
                "JFR.start",
                "name=bench",
                "settings=profile",
                "duration=" + seconds + "s",
                "filename=" + file.toAbsolutePath());
    }

    /**
     * A recording's CPU samples: their number, the share of each library (by the sample's top frame: the code the
     * CPU was running) and the hottest methods, as shares of all samples.
     */
    static Map<String, Object> summarize(Path recording, int topMethods) throws IOException {
        Map<String, Integer> byLibrary = new HashMap<>();
        Map<String, Integer> byMethod = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!"jdk.ExecutionSample".equals(event.getEventType().getName())
                    || event.getStackTrace() == null
                    || event.getStackTrace().getFrames().isEmpty()) {
                continue;
            }
            samples++;
            RecordedFrame top = event.getStackTrace().getFrames().get(0);
            String type = top.getMethod().getType().getName();
            byLibrary.merge(library(event.getStackTrace().getFrames()), 1, Integer::sum);
            byMethod.merge(type + "." + top.getMethod().getName(), 1, Integer::sum);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("samples", samples);
        summary.put("byLibrary", shares(byLibrary, samples, 12));
        summary.put("topMethods", shares(byMethod, samples, topMethods));
        return summary;
    }

    /**
     * The library a sample is charged to: its top frame's, except that JDK frames are charged to the first
     * non-JDK caller (a HashMap lookup inside Camel is Camel's cost), unless the whole stack is JDK.
     */
    static String library(List<RecordedFrame> frames) {
        String firstJdk = null;
        for (RecordedFrame frame : frames) {
            String library = libraryOf(frame.getMethod().getType().getName());
            boolean jdk = library.startsWith("JDK");
            if (!jdk) {
                return firstJdk != null && !"JDK other".equals(firstJdk) ? firstJdk : library;
            }
            if (firstJdk == null) {
                firstJdk = library;
            }
        }
        return firstJdk == null ? "other" : firstJdk;
    }

    static String libraryOf(String type) {
        String best = null;
        for (String prefix : LIBRARIES.keySet()) {
            if (type.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? "other" : LIBRARIES.get(best);
    }

    private static Map<String, Double> shares(Map<String, Integer> counts, int total, int limit) {
        Map<String, Double> shares = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .forEach(e -> shares.put(e.getKey(), Math.round(e.getValue() * 1000.0 / Math.max(1, total)) / 10.0));
        return shares;
    }

    /**
     * GC pauses in a unified GC log ({@code -Xlog:gc:file=...:uptime}) between two JVM uptimes (seconds): count,
     * total and longest pause in milliseconds.
     */
    static Map<String, Object> gcPauses(Path log, double fromUptime, double toUptime) throws IOException {
        int count = 0;
        double total = 0;
        double longest = 0;
        if (Files.isRegularFile(log)) {
            for (String line : Files.readAllLines(log)) {
                Matcher pause = PAUSE.matcher(line.trim());
                if (pause.find()) {
                    double at = Double.parseDouble(pause.group(1));
                    if (at >= fromUptime && at <= toUptime) {
                        double ms = Double.parseDouble(pause.group(2));
                        count++;
                        total += ms;
                        longest = Math.max(longest, ms);
                    }
                }
            }
        }
        Map<String, Object> gc = new LinkedHashMap<>();
        gc.put("pauses", count);
        gc.put("totalMs", Math.round(total));
        gc.put("longestMs", Math.round(longest * 10) / 10.0);
        return gc;
    }
}
