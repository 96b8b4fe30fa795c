package io.github.camelotel.bench;

import io.github.camelotel.local.App;
import io.github.camelotel.local.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time and resident memory of the processes of the local stack, from /proc: the five apps, the servers that
 * run as child processes (PostgreSQL and its backends, Redis, the S3 server), and this JVM (the Kafka broker, the
 * SMTP server and the span sink run in it).
 */
final class Processes {

    /** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;

    static final String BENCH_JVM = "bench JVM (Kafka, SMTP, span sink)";
    static final String POSTGRESQL = "postgresql";
    static final String REDIS = "redis";
    static final String S3 = "s3 (S3Proxy)";

    private Processes() {}

    /** Every process of the stack by group name: each app, postgresql, redis, s3, and this JVM. */
    static Map<String, List<Long>> groups(LocalStack stack, java.util.function.ToLongFunction<App> pidOf) {
        Map<String, List<Long>> groups = new LinkedHashMap<>();
        List<Long> appPids = new ArrayList<>();
        for (App app : App.values()) {
            long pid = pidOf.applyAsLong(app);
            appPids.add(pid);
            groups.put(app.serviceName(), List.of(pid));
        }
        List<Long> postgres = new ArrayList<>();
        List<Long> redis = new ArrayList<>();
        List<Long> s3 = new ArrayList<>();
        ProcessHandle.current().descendants().forEach(process -> {
            if (appPids.contains(process.pid())) {
                return;
            }
            String command = process.info()
                    .commandLine()
                    .or(() -> process.info().command())
                    .orElse("");
            if (command.contains("s3proxy")) {
                s3.add(process.pid());
            } else if (command.contains("redis")) {
                redis.add(process.pid());
            } else if (command.contains("postgres")) {
                postgres.add(process.pid());
            }
        });
        // pg_ctl starts PostgreSQL as a daemon (not our descendant): find its server by the port, then its backends
        String port = String.valueOf(stack.ports().postgres());
        ProcessHandle.allProcesses()
                .filter(process -> {
                    String command = process.info().commandLine().orElse("");
                    return command.contains("postgres")
                            && command.contains("-p " + port)
                            && !postgres.contains(process.pid());
                })
                .forEach(server -> {
                    postgres.add(server.pid());
                    server.descendants().forEach(backend -> postgres.add(backend.pid()));
                });
        groups.put(POSTGRESQL, postgres.stream().distinct().toList());
        groups.put(REDIS, redis);
        groups.put(S3, s3);
        groups.put(BENCH_JVM, List.of(ProcessHandle.current().pid()));
        return groups;
    }

    /** CPU seconds (user + system) each group has used so far. */
    static Map<String, Double> cpuSeconds(Map<String, List<Long>> groups) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        groups.forEach((name, pids) ->
                cpu.put(name, pids.stream().mapToDouble(Processes::cpuSeconds).sum()));
        return cpu;
    }

    /**
     * Cores used by each group between two {@link #cpuSeconds} snapshots {@code seconds} apart (1.0 = one core), not
     * rounded: rounded to 0.01 core, a 20 s scenario would count CPU in steps of 200 ms per process.
     */
    static Map<String, Double> coresUsed(Map<String, Double> before, Map<String, Double> after, double seconds) {
        Map<String, Double> cores = new LinkedHashMap<>();
        after.forEach((name, cpu) -> cores.put(name, (cpu - before.getOrDefault(name, 0.0)) / seconds));
        return cores;
    }

    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0; // the process is gone
        }
    }

    /** Resident memory (VmRSS) in MiB, if the process is there. */
    static Optional<Double> rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Optional.of(round2(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return Optional.empty();
    }

    private static final Pattern GENERATION = Pattern.compile("generation\\s+total (\\d+)K");
    private static final Pattern METASPACE = Pattern.compile("Metaspace\\s+used \\d+K, committed (\\d+)K");

    /**
     * Where a JVM's resident memory goes, in MiB: its resident set, the Java heap and the metaspace it has committed
     * ({@code jcmd GC.heap_info}), and the rest (code cache, thread stacks, the JVM's own and native allocations).
     */
    static Map<String, Object> memoryMiB(long pid) {
        Map<String, Object> memory = new LinkedHashMap<>();
        Optional<Double> rss = rssMiB(pid);
        memory.put("rss", rss.orElse(null));
        try {
            String info = jcmd(pid, "GC.heap_info");
            long heapKiB = GENERATION
                    .matcher(info)
                    .results()
                    .mapToLong(m -> Long.parseLong(m.group(1)))
                    .sum();
            Matcher metaspace = METASPACE.matcher(info);
            if (heapKiB > 0 && metaspace.find() && rss.isPresent()) {
                double heap = round2(heapKiB / 1024.0);
                double meta = round2(Long.parseLong(metaspace.group(1)) / 1024.0);
                memory.put("heapCommitted", heap);
                memory.put("metaspaceCommitted", meta);
                memory.put("other", round2(rss.get() - heap - meta));
            }
        } catch (IOException e) {
            // no breakdown: the resident set alone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return memory;
    }

    /** Runs a diagnostic command in the JVM {@code pid} ({@code jcmd <pid> <command>}) and answers its output. */
    static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        line.add(String.valueOf(pid));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    /** The whole machine's busy share of all cores since boot, as {busy, total} jiffies (for deltas). */
    static long[] machineJiffies() {
        try {
            String[] cpu =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
