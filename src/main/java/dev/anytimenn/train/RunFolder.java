package dev.anytimenn.train;

import com.fasterxml.jackson.core.JacksonException;
import dev.anytimenn.io.AtomicFiles;
import dev.anytimenn.io.Jsons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** The files of one run: config.json, checkpoint.ckpt and the reports beside them. */
public record RunFolder(Path dir) {

    public static final String CONFIG = "config.json";
    public static final String CHECKPOINT = "checkpoint.ckpt";
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
     * The run folder a user names: the folder itself, or a checkpoint file inside one.
     */
    public static RunFolder of(Path folderOrCheckpoint) throws IOException {
        Path dir = Files.isRegularFile(folderOrCheckpoint) ? folderOrCheckpoint.toAbsolutePath().getParent()
                : folderOrCheckpoint;
        if (!Files.isDirectory(dir)) {
            throw new IOException(folderOrCheckpoint + ": no such run folder");
        }
        RunFolder folder = new RunFolder(dir);
        if (!Files.isRegularFile(folder.config())) {
            throw new IOException(dir + ": not a run folder (no " + CONFIG + ")");
        }
        return folder;
    }

    public Path config() {
        return dir.resolve(CONFIG);
    }

    public Path checkpoint() {
        return dir.resolve(CHECKPOINT);
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
            throw new IOException(config() + ": invalid run config: " + e.getOriginalMessage(), e);
        }
    }
}
