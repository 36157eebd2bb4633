package dev.anytimenn.eval.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.anytimenn.io.AtomicFiles;
import dev.anytimenn.io.Jsons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Every test image's true label and the class each exit predicted, so that two runs can be compared
 * image by image (McNemar's test) without re-evaluating them. Saved as {@link #FILE} beside a run's
 * report. Labels are written one character per image, the class index in base 36 (0-9, then a-z),
 * which keeps 10 000 images of 4 exits at about 50 kB; runs with more than {@link #MAX_CLASSES}
 * classes write no such file.
 *
 * @param labels the true class of each test image, in test-set order
 * @param exits per exit, first to last, the predicted class of each image
 */
public record TestPredictions(String labels, List<String> exits) {

    public static final String FILE = "test-predictions.json";
    public static final int MAX_CLASSES = Character.MAX_RADIX;

    public TestPredictions {
        Objects.requireNonNull(labels, "labels");
        exits = List.copyOf(exits);
        for (String e : exits) {
            if (e.length() != labels.length()) {
                throw new IllegalArgumentException("an exit has " + e.length() + " predictions for "
                        + labels.length() + " labels");
            }
        }
    }

    /** From class indices; {@code predicted[k][i]} is exit k's class for image i. */
    public static TestPredictions of(int[] labels, int[][] predicted) {
        List<String> exits = new java.util.ArrayList<>();
        for (int[] p : predicted) {
            exits.add(encode(p));
        }
        return new TestPredictions(encode(labels), exits);
    }

    public int images() {
        return labels.length();
    }

    /** Whether exit {@code exit} (0-based) classified each image correctly. */
    public boolean[] correct(int exit) {
        String p = exits.get(exit);
        boolean[] ok = new boolean[labels.length()];
        for (int i = 0; i < ok.length; i++) {
            ok[i] = p.charAt(i) == labels.charAt(i);
        }
        return ok;
    }

    private static String encode(int[] classes) {
        StringBuilder s = new StringBuilder(classes.length);
        for (int c : classes) {
            if (c < 0 || c >= MAX_CLASSES) {
                throw new IllegalArgumentException("class " + c + " cannot be written (at most " + MAX_CLASSES + ")");
            }
            s.append(Character.forDigit(c, MAX_CLASSES));
        }
        return s.toString();
    }

    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, Jsons.MAPPER.writeValueAsString(this) + "\n");
    }

    private static final ObjectReader READER = Jsons.MAPPER.readerFor(TestPredictions.class)
            .with(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    /** Reads a predictions file; errors are one line naming the file. */
    public static TestPredictions read(Path file) throws IOException {
        try {
            return READER.readValue(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IOException(file + " does not exist (runs trained before per-image predictions were saved"
                    + " have none: re-evaluate them)", e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException("invalid predictions file " + file + ": " + e.getMessage().split("\n", 2)[0], e);
        }
    }
}
