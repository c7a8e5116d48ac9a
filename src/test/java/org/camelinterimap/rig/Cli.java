package org.camelinterimap.rig;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Runs the packaged tools as a user would: {@code java -jar camel-interimap-cli.jar interimap|pullimap ARGS}
 * in a child process (so that tests can also kill it), or the reference Perl tools.
 */
public final class Cli {
    private Cli() {
    }

    /** The outcome of a finished run. */
    public record Result(int exit, String stdout, String stderr) {
        public String output() {
            return stdout + stderr;
        }
    }

    public static Path jar() {
        String jar = System.getProperty("app.jar");
        return jar != null ? Path.of(jar) : DovecotRig.root().resolve("target/camel-interimap-cli.jar");
    }

    /** A started run of our tool; stdout/stderr go to files read by {@link #finish}. */
    public static Process start(String tool, Map<String, String> env, String... args) throws IOException {
        return start(tool, List.of(), env, args);
    }

    /** A started run of our tool with extra JVM options, as {@code INTERIMAP_JAVA_OPTS} gives them. */
    public static Process start(String tool, List<String> jvmOptions, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(nativeLibraryOptions());
        cmd.addAll(List.of("-jar", jar().toString(), tool));
        cmd.addAll(List.of(args));
        return startCommand(cmd, env);
    }

    /**
     * JVM options for a child {@code java -jar} of the cli jar, as {@code bin/interimap} passes them: SQLite's native
     * library comes from one copy per test JVM. Otherwise every child extracts its own to /tmp, and concurrent
     * children race in sqlite-jdbc's removal of stale copies.
     * Empty (the libraries then find their own) where the jar has no library for this platform.
     */
    public static List<String> nativeLibraryOptions() {
        return NativeLibraries.OPTIONS;
    }

    /** Extracted on first use; class initialisation makes that once and thread-safe. */
    private static final class NativeLibraries {
        static final List<String> OPTIONS = extract();

        private static List<String> extract() {
            if (!"Linux".equals(System.getProperty("os.name"))) {
                return List.of();
            }
            String arch = System.getProperty("os.arch", "");
            if (arch.equals("amd64")) {
                arch = "x86_64";
            }
            String sqliteDir = "org/sqlite/native/Linux/" + arch;
            String sqlite = sqliteDir + "/libsqlitejdbc.so";
            Path target = jar().toAbsolutePath().getParent();
            Path tmp = null;
            try (ZipFile zip = new ZipFile(jar().toFile())) {
                tmp = Files.createTempDirectory(target, ".native-test-");
                ZipEntry entry = zip.getEntry(sqlite);
                if (entry == null) {
                    deleteTree(tmp);
                    return List.of();
                }
                Path to = tmp.resolve(sqlite);
                Files.createDirectories(to.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, to);
                }
                // renamed only when complete, so the directory a child is given never holds a partial library
                Path dir = target.resolve("native-test-" + ProcessHandle.current().pid());
                deleteTree(dir); // left by an earlier, killed test JVM with the same pid
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                tmp = null;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                // sqlite-jdbc sweeps its temporary directory for stale copies at every start even so: ours
                return List.of("-Dorg.sqlite.lib.path=" + dir.resolve(sqliteDir), "-Dorg.sqlite.lib.name=libsqlitejdbc.so",
                        "-Dorg.sqlite.tmpdir=" + dir);
            } catch (IOException | RuntimeException e) {
                if (tmp != null) {
                    deleteTree(tmp);
                }
                return List.of();
            }
        }

        private static void deleteTree(Path dir) {
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                    try {
                        Files.deleteIfExists(path);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                // best effort: a leftover under target/ goes with the next mvn clean
            }
        }
    }

    /** Starts the reference Perl tool ({@code interimap} or {@code pullimap} from Debian). */
    public static Process startReference(String tool, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(tool));
        cmd.addAll(List.of(args));
        return startCommand(cmd, env);
    }

    private static Process startCommand(List<String> cmd, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        File out = File.createTempFile("cli", ".out");
        File err = File.createTempFile("cli", ".err");
        out.deleteOnExit();
        err.deleteOnExit();
        pb.redirectOutput(out).redirectError(err).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        OUTPUTS.put(p, new File[] {out, err});
        return p;
    }

    private static final Map<Process, File[]> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Waits for the process (at most 5 minutes, a hang guard, not a performance bound) and returns its outcome. */
    public static Result finish(Process p) throws IOException, InterruptedException {
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("process did not finish");
        }
        File[] files = OUTPUTS.remove(p);
        return new Result(p.exitValue(), Files.readString(files[0].toPath(), StandardCharsets.UTF_8),
                Files.readString(files[1].toPath(), StandardCharsets.UTF_8));
    }

    public static Result run(String tool, String... args) throws IOException, InterruptedException {
        return finish(start(tool, Map.of(), args));
    }

    public static Result runReference(String tool, String... args) throws IOException, InterruptedException {
        return finish(startReference(tool, Map.of(), args));
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
