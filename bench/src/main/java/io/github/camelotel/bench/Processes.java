package io.github.camelotel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CPU time, resident memory and GC pauses of the stack's processes, from /proc and the JVMs' GC logs. */
final class Processes {

    static final String POSTGRESQL = "postgresql";
    static final String REDIS = "redis";
    static final String S3 = "s3";
    /** This JVM: the Kafka broker and the SMTP server run in it (and the benchmark's own polling, a request a second). */
    static final String STACK_JVM = "kafka+smtp JVM";
    /** The trace receiver, in a process of its own: counted in neither the apps nor the servers. */
    static final String SPAN_SINK = "span sink";

    static final List<String> SERVERS = List.of(POSTGRESQL, REDIS, S3, STACK_JVM);
    private static final Pattern PAUSE = Pattern.compile("\\[([0-9.]+)s].*Pause.* ([0-9.]+)ms$");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s*(\\d+)");

    private Processes() {}

    /** Every process by group: each app (its pid), then the servers, then the span sink. */
    static Map<String, List<Long>> groups(Map<String, Long> apps, int postgresPort, long sinkPid) {
        Map<String, List<Long>> groups = new LinkedHashMap<>();
        apps.forEach((name, pid) -> groups.put(name, List.of(pid)));
        List<Long> postgres = new ArrayList<>();
        List<Long> redis = new ArrayList<>();
        List<Long> s3 = new ArrayList<>();
        ProcessHandle.current().descendants().forEach(process -> {
            String command = process.info().commandLine().orElse("");
            if (apps.containsValue(process.pid()) || process.pid() == sinkPid) {
                return;
            } else if (command.contains("s3proxy")) {
                s3.add(process.pid());
            } else if (command.contains("redis")) {
                redis.add(process.pid());
            } else if (command.contains("postgres")) {
                postgres.add(process.pid());
            }
        });
        // pg_ctl starts PostgreSQL as a daemon (not a descendant): its server by the port, then its backends
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").matches(".*postgres.*-p " + postgresPort + "\\b.*"))
                .forEach(server -> {
                    postgres.add(server.pid());
                    server.descendants().forEach(backend -> postgres.add(backend.pid()));
                });
        groups.put(POSTGRESQL, postgres.stream().distinct().toList());
        groups.put(REDIS, redis);
        groups.put(S3, s3);
        groups.put(STACK_JVM, List.of(ProcessHandle.current().pid()));
        groups.put(SPAN_SINK, List.of(sinkPid));
        return groups;
    }

    /** CPU seconds (user + system) the processes have used so far; a process that is gone counts 0. */
    static double cpuSeconds(List<Long> pids) {
        return pids.stream()
                .map(pid -> proc(pid, "stat"))
                .filter(stat -> !stat.isEmpty())
                .map(stat -> stat.substring(stat.lastIndexOf(')') + 2).split(" "))
                .mapToDouble(fields -> (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0) // USER_HZ
                .sum();
    }

    /** The resident memory (VmRSS) of the processes together, in MiB. */
    static double rssMiB(List<Long> pids) {
        return round2(pids.stream()
                .map(pid -> RSS.matcher(proc(pid, "status")))
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

    /** Milliseconds of GC pauses of a JVM between two instants, from its log ({@code -Xlog:gc:file=gc-%p.log:uptime}). */
    static double gcPauseMs(Path logDir, long pid, Instant from, Instant to) {
        Path log = logDir.resolve("gc-" + pid + ".log");
        Instant started =
                ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).orElse(null);
        if (started == null || !Files.isRegularFile(log)) {
            return 0;
        }
        double fromUptime = (from.toEpochMilli() - started.toEpochMilli()) / 1000.0;
        double toUptime = (to.toEpochMilli() - started.toEpochMilli()) / 1000.0;
        try (var lines = Files.lines(log)) {
            return lines.map(line -> PAUSE.matcher(line.trim()))
                    .filter(Matcher::find)
                    .filter(pause -> Double.parseDouble(pause.group(1)) >= fromUptime
                            && Double.parseDouble(pause.group(1)) <= toUptime)
                    .mapToDouble(pause -> Double.parseDouble(pause.group(2)))
                    .sum();
        } catch (IOException e) {
            return 0;
        }
    }

    static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
