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

    private Processes() {}

    /** Every process by group: each app (its pid), then the servers, then the span sink. */
    static Map<String, List<Long>> groups(Map<String, Long> apps, int postgresPort, long sinkPid) {
        Map<String, List<Long>> groups = new LinkedHashMap<>();
        apps.forEach((name, pid) -> groups.put(name, List.of(pid)));
        List<Long> postgres = new ArrayList<>();
        List<Long> redis = new ArrayList<>();
        List<Long> s3 = new ArrayList<>();
        ProcessHandle.current().descendants().forEach(process -> {
            if (apps.containsValue(process.pid()) || process.pid() == sinkPid) {
                return;
            }
            String command = process.info().commandLine().orElse("");
            if (command.contains("s3proxy")) {
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
        double seconds = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                seconds += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // USER_HZ
            } catch (IOException | RuntimeException gone) {
                // not there any more
            }
        }
        return seconds;
    }

    /** The resident memory (VmRSS) of the processes together, in MiB. */
    static double rssMiB(List<Long> pids) {
        double kib = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        kib += Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // not there any more
            }
        }
        return round2(kib / 1024);
    }

    /** Milliseconds of GC pauses of a JVM between two instants, from its log ({@code -Xlog:gc:file=gc-%p.log:uptime}). */
    static double gcPauseMs(Path logDir, long pid, Instant from, Instant to) {
        Path log = logDir.resolve("gc-" + pid + ".log");
        Instant started =
                ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).orElse(null);
        double total = 0;
        try {
            if (started == null || !Files.isRegularFile(log)) {
                return 0;
            }
            double fromUptime = (from.toEpochMilli() - started.toEpochMilli()) / 1000.0;
            double toUptime = (to.toEpochMilli() - started.toEpochMilli()) / 1000.0;
            for (String line : Files.readAllLines(log)) {
                Matcher pause = PAUSE.matcher(line.trim());
                if (pause.find()) {
                    double at = Double.parseDouble(pause.group(1));
                    total += at >= fromUptime && at <= toUptime ? Double.parseDouble(pause.group(2)) : 0;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }

    static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
