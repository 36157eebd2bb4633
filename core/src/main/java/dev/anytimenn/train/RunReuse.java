package dev.anytimenn.train;

import dev.anytimenn.eval.report.ReportFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finished runs found under a folder (e.g. a study's), to be copied instead of trained again when a
 * planned run has the very same configuration but for its name.
 */
public final class RunReuse {

    private record Finished(Path dir, RunConfig config) {}

    private final List<Finished> finished;

    private RunReuse(List<Finished> finished) {
        this.finished = finished;
    }

    /** Every folder under {@code root} (up to 3 levels down) with a config.json, a checkpoint and a report.json. */
    public static RunReuse scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + " is not a folder of finished runs");
        }
        List<Finished> found = new ArrayList<>();
        try (Stream<Path> configs = Files.find(root, 4, (p, a) -> p.getFileName().toString().equals(RunFolder.CONFIG))) {
            for (Path config : configs.sorted().toList()) {
                RunFolder folder = new RunFolder(config.getParent());
                if (folder.hasCheckpoint() && Files.isRegularFile(folder.dir().resolve(ReportFiles.JSON))) {
                    found.add(new Finished(folder.dir(), folder.readConfig()));
                }
            }
        }
        return new RunReuse(found);
    }

    public int size() {
        return finished.size();
    }

    /** A finished run trained exactly as {@code planned}, names aside. */
    public Optional<Path> find(RunConfig planned) {
        return finished.stream().filter(f -> sameButName(f.config(), planned)).map(Finished::dir).findFirst();
    }

    /**
     * Copies the checkpoint and report of {@code source} into {@code target} and writes the planned
     * config there, report last, so an interrupted copy is trained or resumed rather than taken as done.
     */
    public static void copy(Path source, RunConfig planned, Path target) throws IOException {
        RunFolder to = new RunFolder(target);
        Files.createDirectories(target);
        to.writeConfig(planned);
        copyAtomically(source.resolve(RunFolder.CHECKPOINT), to.checkpoint());
        copyAtomically(source.resolve(ReportFiles.JSON), target.resolve(ReportFiles.JSON));
    }

    private static void copyAtomically(Path from, Path to) throws IOException {
        Path temp = to.resolveSibling(to.getFileName() + ".tmp");
        Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static boolean sameButName(RunConfig a, RunConfig b) {
        return a.model().equals(b.model()) && a.training().equals(b.training()) && a.data().equals(b.data());
    }
}
