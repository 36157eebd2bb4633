package dev.anytimenn.train;

import com.fasterxml.jackson.core.JacksonException;
import dev.anytimenn.io.AtomicFiles;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.store.ModelStore;
import dev.anytimenn.store.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** The files of one run: config.json, checkpoint.ckpt and the reports beside them. */
public record RunFolder(Path dir) {

    public static final String CONFIG = RunFiles.CONFIG;
    public static final String CHECKPOINT = RunFiles.CHECKPOINT;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** A new folder name under {@code parent}: {@code <timestamp>-<name>}. */
    public static RunFolder fresh(Path parent, String name) {
        Path dir = parent.resolve(LocalDateTime.now().format(STAMP) + "-" + name);
        for (int i = 2; Files.exists(dir); i++) {
            dir = parent.resolve(LocalDateTime.now().format(STAMP) + "-" + name + "-" + i);
        }
        return new RunFolder(dir);
    }

    /**
     * The run folder a user names: the folder itself, or a checkpoint file inside one (a truncated or
     * foreign file is reported as such).
     */
    public static RunFolder of(Path folderOrCheckpoint) throws IOException {
        return new RunFolder(ModelStore.runFolderOf(folderOrCheckpoint));
    }

    public Path config() {
        return dir.resolve(CONFIG);
    }

    public Path checkpoint() {
        return dir.resolve(CHECKPOINT);
    }

    /** The deployable model file, rewritten after every epoch. */
    public Path modelFile() {
        return dir.resolve(RunFiles.MODEL);
    }

    public boolean hasCheckpoint() {
        return Files.isRegularFile(checkpoint());
    }

    public String name() {
        return dir.getFileName().toString();
    }

    public void writeConfig(RunConfig config) throws IOException {
        AtomicFiles.writeString(config(), Jsons.MAPPER.writeValueAsString(config) + "\n");
    }

    public RunConfig readConfig() throws IOException {
        try {
            return Jsons.MAPPER.readValue(config().toFile(), RunConfig.class);
        } catch (JacksonException e) {
            throw new IOException(config() + ": invalid run config: " + Jsons.problem(e), e);
        }
    }
}
