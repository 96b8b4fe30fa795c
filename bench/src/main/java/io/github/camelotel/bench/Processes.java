package io.github.camelotel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CPU time and resident memory of the stack's processes, from /proc. */
final class Processes {

    static final String POSTGRESQL = "postgresql";
    static final String REDIS = "redis";
    static final String S3 = "s3";
    /** This JVM: the Kafka broker and the SMTP server run in it (and the benchmark's own polling, a request a second). */
    static final String STACK_JVM = "kafka+smtp JVM";
    /** The trace receiver, in a process of its own: counted in neither the apps nor the servers. */
    static final String SPAN_SINK = "span sink";

    static final List<String> SERVERS = List.of(POSTGRESQL, REDIS, S3, STACK_JVM);
    private static final Pattern PSS = Pattern.compile("Pss:\\s*(\\d+)");

    private Processes() {}

    /** Every process by group: each app (its pid), then the servers, then the span sink. */
    static Map<String, List<Long>> groups(Map<String, Long> apps, int postgresPort, long sinkPid) {
        Map<String, List<Long>> groups = new LinkedHashMap<>();
        apps.forEach((name, pid) -> groups.put(name, List.of(pid)));
        List.of(POSTGRESQL, REDIS, S3).forEach(server -> groups.put(server, new ArrayList<>()));
        ProcessHandle.current().descendants().forEach(process -> {
            String command = process.info().commandLine().orElse("");
            if (!apps.containsValue(process.pid()) && process.pid() != sinkPid) {
                String server = command.contains("s3proxy") ? S3 : command.contains("redis") ? REDIS : null;
                if (server != null) {
                    groups.get(server).add(process.pid());
                }
            }
        });
        // pg_ctl starts PostgreSQL as a daemon (not a descendant): its server by the port, then its backends
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").matches(".*postgres.*-p " + postgresPort + "\\b.*"))
                .forEach(server -> {
                    groups.get(POSTGRESQL).add(server.pid());
                    server.descendants()
                            .forEach(backend -> groups.get(POSTGRESQL).add(backend.pid()));
                });
        groups.put(STACK_JVM, List.of(ProcessHandle.current().pid()));
        groups.put(SPAN_SINK, List.of(sinkPid));
        return groups;
    }

    /** CPU milliseconds (user + system) each group has used so far; a process that is gone counts 0. */
    static Map<String, Double> cpuMillis(Map<String, List<Long>> groups) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        groups.forEach((group, pids) -> cpu.put(
                group,
                pids.stream()
                        .map(pid -> proc(pid, "stat"))
                        .filter(stat -> !stat.isEmpty())
                        .map(stat -> stat.substring(stat.lastIndexOf(')') + 2).split(" "))
                        // utime + stime, in clock ticks of 10 ms (USER_HZ)
                        .mapToDouble(fields -> (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0)
                        .sum()));
        return cpu;
    }

    /** The processes' resident memory in MiB: the sum of their proportional set sizes (a shared page counts once). */
    static double residentMiB(List<Long> pids) {
        return round2(pids.stream()
                .map(pid -> PSS.matcher(proc(pid, "smaps_rollup")))
                .filter(Matcher::find)
                .mapToDouble(rss -> Long.parseLong(rss.group(1)) / 1024.0)
                .sum());
    }

    /** A file of /proc/<pid>, empty when the process is gone. */
    private static String proc(long pid, String file) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(pid), file));
        } catch (IOException gone) {
            return "";
        }
    }

    static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
