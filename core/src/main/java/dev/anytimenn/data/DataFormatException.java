package dev.anytimenn.data;

import java.nio.file.Path;

/** A data file exists but its content is unusable; the message always names the file. */
public class DataFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    public DataFormatException(Path file, String what) {
        this(file, what, null);
    }

    public DataFormatException(Path file, String what, Throwable cause) {
        super(file + ": " + oneLine(what), cause);
        this.file = file;
        this.problem = oneLine(what);
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    /** The problem without the file name, e.g. for UIs that show the file separately. */
    public String problem() {
        return problem;
    }

    // Messages end up in CLI output and log lines; a stray newline from a wrapped cause would split them.
    private static String oneLine(String s) {
        return s == null ? "unknown problem" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
