package dev.anytimenn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: a package imports only the packages below it. A plain scan of the
 * import lines of the main sources, so a new upward import fails here with the file that has it.
 */
class ImportDirectionTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/anytimenn");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?dev\\.anytimenn\\.([a-z]+)\\b",
            Pattern.MULTILINE);

    /** What each package may import (besides itself); cli sits on top and may use everything. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("io", Set.of()),
            Map.entry("engine", Set.of()),
            Map.entry("data", Set.of("io")),
            Map.entry("model", Set.of("io", "engine", "data")), // its convolutions run through the engine guard
            Map.entry("weighting", Set.of("io")),
            Map.entry("store", Set.of("io", "data", "model")),
            Map.entry("onnx", Set.of("io", "data", "model", "store")), // the network's ONNX graphs and files
            Map.entry("ort", Set.of("io", "data", "model", "store", "onnx")), // ONNX Runtime's calls, nowhere else
            Map.entry("infer", Set.of("io", "engine", "data", "model", "store", "onnx", "ort")),
            Map.entry("eval", Set.of("io", "engine", "data", "model", "store", "onnx", "ort", "infer")),
            Map.entry("train", Set.of("io", "engine", "data", "model", "store", "infer", "eval", "weighting")),
            Map.entry("eann", Set.of("io", "engine", "data", "model", "store", "infer", "eval", "weighting", "train",
                    "study")),
            Map.entry("study", Set.of("io", "engine", "data", "model", "store", "infer", "eval", "weighting",
                    "train")),
            // the server uses everything below the command line; only cli imports it
            Map.entry("serve", Set.of("io", "engine", "data", "model", "store", "infer", "eval", "weighting", "train",
                    "study", "eann")));
    private static final Set<String> TOP = Set.of("cli");

    @Test
    void noPackageImportsUpward() throws IOException {
        List<String> violations = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            dirs.filter(Files::isDirectory).forEach(dir -> packages.add(dir.getFileName().toString()));
        }
        for (String pkg : packages) {
            if (TOP.contains(pkg)) {
                continue;
            }
            assertThat(ALLOWED).as("package %s needs a place in this test's layering", pkg).containsKey(pkg);
            try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    Matcher m = IMPORT.matcher(read(f));
                    while (m.find()) {
                        String target = m.group(1);
                        if (!target.equals(pkg) && !ALLOWED.get(pkg).contains(target)) {
                            violations.add(SOURCES.relativize(f) + " imports dev.anytimenn." + target);
                        }
                    }
                });
            }
        }
        assertThat(packages).contains("infer", "store", "model", "data", "weighting", "io", "serve");
        assertThat(violations).as("upward imports").isEmpty();
    }

    /** ONNX Runtime's API is called from one package, so that the engine can be swapped or updated in one place. */
    @Test
    void onlyOrtCallsOnnxRuntime() throws IOException {
        List<String> outside = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                if (read(f).contains("import ai.onnxruntime.") && !SOURCES.relativize(f).startsWith("ort")) {
                    outside.add(SOURCES.relativize(f).toString());
                }
            });
        }
        assertThat(outside).as("files outside dev.anytimenn.ort that import ai.onnxruntime").isEmpty();
    }

    @Test
    void theScanSeesImports() {
        Matcher m = IMPORT.matcher("package x;\nimport dev.anytimenn.train.RunFolder;\nimport static dev.anytimenn.cli.Main.run;\n");
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        assertThat(found).containsExactly("train", "cli");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
