package dev.anytimenn.store;

/**
 * The names of the files in a run folder, in one place: whoever writes or reads one uses these.
 * Reports are written in several formats; {@code *_BASE} names take the extension.
 */
public final class RunFiles {

    /** The exact run configuration (what {@code --resume} reads). */
    public static final String CONFIG = "config.json";
    /** Parameters with optimiser and loss-weighting state: what training resumes from. */
    public static final String CHECKPOINT = "checkpoint.ckpt";
    /** The deployable model file ({@link ModelFile}), written after every epoch. */
    public static final String MODEL = "model.safetensors";
    /** Confidence thresholds stored by the budgeted-batch protocol. */
    public static final String THRESHOLDS = "thresholds.json";
    /** Every exit's test accuracy, the per-epoch history and the config. */
    public static final String REPORT_JSON = "report.json";
    public static final String REPORT_MARKDOWN = "report.md";
    public static final String REPORT_PNG = "anytime.png";
    public static final String REPORT_SVG = "anytime.svg";
    /** The anytime protocol's reports: {@code anytime-protocol.{json,md,png,svg}}. */
    public static final String ANYTIME_PROTOCOL_BASE = "anytime-protocol";
    /** The budgeted-batch protocol's reports: {@code budgeted.{json,md,png,svg}}. */
    public static final String BUDGETED_PROTOCOL_BASE = "budgeted";

    private RunFiles() {}
}
