package org.camelinterimap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.camelinterimap.rig.Cli;
import org.camelinterimap.rig.DovecotRig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/interimap's class-data archive, on a copy of the launcher and the cli jar: the first runs
 * after a build record their class lists, the next run makes the archive in the background (one
 * run only, however many start at once), later runs map it, a new build starts over, and a
 * making that was killed does not block the runs after it. The runs fail fast on a missing
 * configuration file: they load classes all the same, and need no server.
 */
class LauncherArchiveIT {
    private static final String ARCHIVE = "camel-interimap-interimap.jsa";
    private static final String MAKING = ARCHIVE + ".classes";
    private static final String LISTS = "camel-interimap-interimap.classes.";

    @TempDir
    Path root;
    Path target;

    @BeforeEach
    void copyLauncher() throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        target = Files.createDirectories(root.resolve("target"));
        Files.copy(DovecotRig.root().resolve("bin/interimap"), bin.resolve("interimap"));
        Files.copy(Cli.jar(), target.resolve("camel-interimap-cli.jar"));
    }

    @Test
    void theFirstRunsRecordTheNextMakesTheArchiveAndLaterRunsMapIt() throws Exception {
        runAtOnce(3, List.of());
        assertFalse(Files.exists(target.resolve(ARCHIVE)));
        assertFalse(files(LISTS).isEmpty(), "the first runs record their class lists: " + files(""));

        runAtOnce(3, List.of()); // one of them takes a list and makes the archive
        awaitArchive();
        assertEquals(List.of(), files(LISTS), "the lists are removed once the archive is made");
        assertEquals(List.of(ARCHIVE), files(ARCHIVE), "no temporary archive left");

        // -Xshare:on: the JVM refuses to start unless it maps the archive
        Result mapped = run(List.of("-Xshare:on"));
        assertEquals(1, mapped.exit, mapped.output);
        assertTrue(mapped.output.contains("no such configuration file"), mapped.output);

        // a new build: the archive is stale, the run records its classes again
        Files.setLastModifiedTime(target.resolve("camel-interimap-cli.jar"), FileTime.from(Instant.now().plusSeconds(5)));
        run(List.of());
        assertFalse(files(LISTS).isEmpty(), "recorded again after a build: " + files(""));
    }

    @Test
    void aMakingKilledHalfwayIsTakenUpAgainLater() throws Exception {
        run(List.of());
        Path list = files(LISTS).stream().map(target::resolve).findFirst().orElseThrow();
        // a making killed 11 minutes ago left its link to the list behind
        Files.createLink(target.resolve(MAKING), list);
        FileTime before = FileTime.from(Instant.now().minus(Duration.ofMinutes(11)));
        Files.setLastModifiedTime(target.resolve(MAKING), before);
        Files.setLastModifiedTime(target.resolve("camel-interimap-cli.jar"), FileTime.from(before.toInstant().minusSeconds(60)));
        run(List.of());
        awaitArchive();
        assertEquals(List.of(), files(LISTS));
    }

    private record Result(int exit, String output) {
    }

    private Result run(List<String> javaOptions) throws IOException, InterruptedException {
        Process p = start(javaOptions);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "run did not end");
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private void runAtOnce(int runs, List<String> javaOptions) throws IOException, InterruptedException {
        List<Process> started = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            started.add(start(javaOptions));
        }
        for (Process p : started) {
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "run did not end");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, p.exitValue(), out);
            assertTrue(out.contains("no such configuration file"), out);
        }
    }

    private Process start(List<String> javaOptions) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("bin/interimap").toString(),
                "--config", root.resolve("missing").toString()).redirectErrorStream(true);
        // the launcher runs the java on the PATH: this JVM's
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        pb.environment().put("INTERIMAP_JAVA_OPTS", String.join(" ", javaOptions));
        pb.environment().remove("INTERIMAP_NO_CDS");
        return pb.start();
    }

    /** The archive is made in the background: waits for it (a hang guard, not a performance bound). */
    private void awaitArchive() throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(target.resolve(ARCHIVE)) || Files.exists(target.resolve(MAKING))) {
            assertTrue(System.nanoTime() < end, "no archive made: " + files(""));
            Thread.sleep(200);
        }
    }

    private List<String> files(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(target)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        }
    }
}
