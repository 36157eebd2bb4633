package dev.anytimenn.eval.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.anytimenn.io.AtomicFiles;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.store.RunFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes the files of a run folder. */
public final class ReportFiles {

    public static final String JSON = RunFiles.REPORT_JSON;
    public static final String MARKDOWN = RunFiles.REPORT_MARKDOWN;
    public static final String PNG = RunFiles.REPORT_PNG;
    public static final String SVG = RunFiles.REPORT_SVG;

    /** Strict about missing fields and nulls for primitives, lenient about unknown fields. */
    private static final ObjectReader READER = Jsons.MAPPER.readerFor(RunReport.class)
            .with(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ReportFiles() {
    }

    /**
     * Writes {@code anytime.png}, {@code anytime.svg}, {@code report.md} and finally
     * {@code report.json} into {@code runDir} (created if missing), each atomically, so an
     * existing {@code report.json} means the other three are complete too.
     */
    public static void writeAll(RunReport r, Path runDir) throws IOException {
        Files.createDirectories(runDir);
        ErrorCostPlot.writeAnytime(r, runDir.resolve(PNG), runDir.resolve(SVG));
        AtomicFiles.writeString(runDir.resolve(MARKDOWN), MarkdownReport.render(r, PNG));
        writeJson(r, runDir.resolve(JSON));
    }

    /** Writes only the JSON, atomically, with a trailing newline. */
    public static void writeJson(RunReport r, Path file) throws IOException {
        byte[] json = Jsons.MAPPER.writeValueAsBytes(r);
        AtomicFiles.write(file, out -> {
            out.write(json);
            out.write('\n');
        });
    }

    /**
     * Reads a {@code report.json}. Unknown fields are ignored; every field of the records must
     * be present.
     *
     * @throws IOException with a one-line message naming the file if it is missing, not valid
     *                     JSON, or not a complete run report
     */
    public static RunReport readJson(Path reportJson) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(reportJson);
        } catch (NoSuchFileException e) {
            throw new IOException("Run report " + reportJson + " does not exist", e);
        }
        try {
            return READER.readValue(bytes);
        } catch (JsonProcessingException e) {
            throw new IOException("Invalid run report " + reportJson + ": " + describe(e, bytes), e);
        }
    }

    private static String describe(JsonProcessingException e, byte[] bytes) {
        if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return "file is empty";
        }
        String msg = e.getOriginalMessage();
        if (e instanceof ValueInstantiationException && e.getCause() != null
                && e.getCause().getMessage() != null) {
            msg = e.getCause().getMessage();
        } else if (e instanceof MismatchedInputException && msg != null
                && msg.startsWith("Missing creator property")) {
            msg = "missing field";
        } else if (msg != null) {
            msg = msg.replaceAll(" ?\\(class [^)]*\\)", "").replaceAll(" ?\\(index \\d+\\)", "");
        }
        msg = firstLine(msg);
        String where = "";
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            StringBuilder p = new StringBuilder();
            for (JsonMappingException.Reference ref : jme.getPath()) {
                if (ref.getFieldName() != null) {
                    p.append(p.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    p.append('[').append(ref.getIndex()).append(']');
                }
            }
            if (p.length() > 0) {
                where = " at " + p;
            }
        }
        String loc = e.getLocation() != null && e.getLocation().getLineNr() > 0
                ? " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"
                : "";
        return msg + where + loc;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return (nl >= 0 ? s.substring(0, nl) : s).trim();
    }
}
