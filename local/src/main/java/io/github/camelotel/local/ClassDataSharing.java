package io.github.camelotel.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * How the local stack launches an app's Spring Boot jar quickly: from its extracted form (a plain jar beside its
 * libraries, {@code <app>/target/extracted/}) with a class data sharing (CDS) archive of the classes it loads.
 * <p>
 * Both cut start-up time and CPU severalfold: the executable jar's nested jars are read through Spring Boot's own
 * class loader, and without an archive every class is loaded and verified anew (figures: bench/results/tuning).
 * The first start of a new build records the archive as the app stops gracefully
 * ({@code -XX:ArchiveClassesAtExit}); the following starts map it ({@code -XX:SharedArchiveFile}). A new build of
 * the jar is extracted again and its archive recorded anew, since an archive is only valid for the jars it saw.
 */
final class ClassDataSharing {

    private final Path extracted;
    private final Path archive;
    private final Path recording;
    /** Whether this JVM records the archive (this build has none yet) rather than maps it. */
    private final boolean records;

    private ClassDataSharing(Path extracted, Path archive, Path recording) {
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
        // each JVM records into a file of its own, published once it has stopped: no one maps a half-written archive
        return new ClassDataSharing(
                folder.resolve(jar.getFileName()),
                folder.resolve("classes.jsa"),
                folder.resolve("classes-" + UUID.randomUUID() + ".jsa.recording"));
    }

    /** The jar to run: the application's classes, with its libraries on the manifest's class path. */
    Path jar() {
        return extracted;
    }

    /** Maps the archive if this build has one, else records one when the JVM exits. */
    List<String> jvmOptions() {
        return records
                // without the warnings the dump prints for optional classes whose dependencies are absent
                ? List.of("-XX:ArchiveClassesAtExit=" + recording, "-Xlog:cds=off")
                : List.of("-XX:SharedArchiveFile=" + archive);
    }

    /** Whether this JVM records the archive (the first start of a build) rather than maps it. */
    boolean records() {
        return records;
    }

    /**
     * How long a graceful stop may take: writing the archive at exit (about 100 MB) takes tens of seconds when five
     * apps write theirs at once on 2 cores; cutting it short would drop the archive and make every later stop slow too.
     */
    Duration stopTimeout() {
        return records ? Duration.ofMinutes(2) : Duration.ofSeconds(30);
    }

    /**
     * After the JVM has exited: publishes the archive it recorded, if it stopped gracefully; a killed JVM's
     * recording may be cut short, so it is dropped (the next start records again).
     */
    void finish(boolean stoppedGracefully) {
        try {
            if (stoppedGracefully && Files.isRegularFile(recording)) {
                Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(recording);
            }
        } catch (IOException e) {
            // the next start records again
        }
    }
}
