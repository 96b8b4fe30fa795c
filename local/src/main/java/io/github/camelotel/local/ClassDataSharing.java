package io.github.camelotel.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How the local stack launches an app's Spring Boot jar quickly: from its extracted form (a plain jar beside its
 * libraries, {@code <app>/target/extracted/}) with a class data sharing (CDS) archive of the classes it loads.
 * <p>
 * Both cut start-up time and CPU severalfold: the executable jar's nested jars are read through Spring Boot's own
 * class loader, and without an archive every class is loaded and verified anew (figures: bench/results/tuning).
 * The first start of a new build runs with {@code -XX:+RecordDynamicDumpInfo} and writes the archive while it runs,
 * {@link #RECORD_AFTER} after it is ready ({@code jcmd <pid> VM.cds dynamic_dump}), rather than as it exits
 * ({@code -XX:ArchiveClassesAtExit}), so that stopping stays quick: five apps writing theirs at once as they exit made
 * the first stop after a build slow. The following starts map it ({@code -XX:SharedArchiveFile}). A new build of the
 * jar is extracted again and its archive recorded anew, since an archive is only valid for the jars it saw.
 */
final class ClassDataSharing {

    /**
     * How long after it is ready an app writes its archive: by then its first purchases have run every path, so the
     * archive holds the classes they load too, not only the start-up's.
     */
    static final Duration RECORD_AFTER = Duration.ofSeconds(60);

    /** One archive written at a time, in the background: each pauses its app for a few seconds and takes a core. */
    private static final ScheduledExecutorService RECORDER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "class-data-recorder");
        thread.setDaemon(true);
        return thread;
    });

    private final Path extracted;
    private final Path archive;
    private final Path recording;
    /** Whether this JVM records the archive (this build had none when it started) rather than maps it. */
    private final boolean records;

    private boolean recorded;

    ClassDataSharing(Path extracted, Path archive, Path recording) {
        this.extracted = extracted;
        this.archive = archive;
        this.recording = recording;
        this.records = !Files.isRegularFile(archive);
    }

    /** Extracts {@code jar} unless its extracted form is from the same build. */
    static ClassDataSharing prepare(Path jar, String javaCommand) throws IOException, InterruptedException {
        Path folder = jar.resolveSibling("extracted");
        Path build = folder.resolve("build");
        String thisBuild =
                Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
        if (!Files.isRegularFile(build) || !Files.readString(build).equals(thisBuild)) {
            Folders.deleteRecursively(folder);
            Process extract = new ProcessBuilder(
                            javaCommand,
                            "-Djarmode=tools",
                            "-jar",
                            jar.toString(),
                            "extract",
                            "--destination",
                            folder.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (extract.waitFor() != 0) {
                throw new IllegalStateException("extracting " + jar + " failed with " + extract.exitValue());
            }
            Files.writeString(build, thisBuild);
        }
        // each JVM records into a file of its own, published once complete: no one maps a half-written archive
        return new ClassDataSharing(
                folder.resolve(jar.getFileName()),
                folder.resolve("classes.jsa"),
                folder.resolve("classes-" + UUID.randomUUID() + ".jsa.recording"));
    }

    /** The jar to run: the application's classes, with its libraries on the manifest's class path. */
    Path jar() {
        return extracted;
    }

    /** Maps the archive if this build has one, else keeps what a dump of one needs. */
    List<String> jvmOptions() {
        return records
                // without the warnings the dump prints for optional classes whose dependencies are absent
                ? List.of("-XX:+RecordDynamicDumpInfo", "-Xlog:cds=off")
                : List.of("-XX:SharedArchiveFile=" + archive);
    }

    /** Whether this JVM records the archive (the first start of a build) rather than maps it. */
    boolean records() {
        return records;
    }

    /** Records the archive of the running JVM {@link #RECORD_AFTER} from now, if it records one. */
    void recordLater(ProcessHandle jvm) {
        if (records) {
            RECORDER.schedule(() -> record(jvm), RECORD_AFTER.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /**
     * Writes the running JVM's archive now, once, and publishes it for the next starts; answers whether this JVM's
     * archive was written. A JVM that stops or is killed meanwhile writes none (its next start records again).
     */
    synchronized boolean record(ProcessHandle jvm) {
        if (!records || recorded || !jvm.isAlive()) {
            return recorded;
        }
        try {
            Process dump = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            String.valueOf(jvm.pid()),
                            "VM.cds",
                            "dynamic_dump",
                            recording.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (dump.waitFor(2, TimeUnit.MINUTES) && dump.exitValue() == 0 && Files.isRegularFile(recording)) {
                Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                recorded = true;
            } else {
                dump.destroyForcibly();
            }
        } catch (IOException e) {
            // no jcmd (a JRE) or no room: the next start records again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(recording);
            } catch (IOException e) {
                // a leftover recording is never mapped
            }
        }
        return recorded;
    }
}
