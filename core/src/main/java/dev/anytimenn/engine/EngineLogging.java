package dev.anytimenn.engine;

import ai.djl.engine.Engine;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps libtorch's own warnings off the user's screen. libtorch prints them from native code straight
 * to standard error through c10's logging, not Java's: e.g. DJL's native NDArray.set (used to load the
 * optimiser state on --resume) warns that "AutoNonVariableTypeMode is deprecated ...".
 *
 * <p>c10 drops messages below its flag {@code FLAGS_caffe2_log_level}. Its environment variable
 * {@value #LEVEL_VARIABLE} is read only by {@code c10::initLogging()}, which Python's torch calls and
 * nothing in libtorch or DJL calls, so setting the variable alone changes nothing here; this sets the
 * flag in the loaded libc10 itself: to the variable's level when the user gave one, else to ERROR.
 */
public final class EngineLogging {

    /** c10's log level: INFO, WARNING, ERROR or FATAL, or 0 to 3. */
    public static final String LEVEL_VARIABLE = "TORCH_CPP_LOG_LEVEL";
    static final List<String> LEVELS = List.of("INFO", "WARNING", "ERROR", "FATAL");
    static final int ERROR = 2;
    static final String FLAG = "FLAGS_caffe2_log_level";

    private static final Logger LOG = LoggerFactory.getLogger(EngineLogging.class);

    private EngineLogging() {}

    /**
     * Loads the engine if it is not yet loaded and sets c10's log level: ERROR, or what
     * {@value #LEVEL_VARIABLE} asks for.
     *
     * @return whether the level is set (false off Linux, or when libc10 cannot be found)
     */
    public static synchronized boolean quietNativeWarnings() {
        int level = level(System.getenv(LEVEL_VARIABLE));
        if (level < 0 || !Platform.isLinux()) {
            return false;
        }
        try {
            Engine.getInstance();
            Optional<Path> c10 = LoadedLibraries.find("libc10.so");
            if (c10.isEmpty()) {
                LOG.debug("libc10.so is not loaded; engine warnings stay on");
                return false;
            }
            NativeLibrary.getInstance(c10.get().toString()).getGlobalVariableAddress(FLAG).setInt(0, level);
            return true;
        } catch (IOException | UnsatisfiedLinkError | RuntimeException e) {
            LOG.debug("cannot set c10's log level ({}); engine warnings stay on", e.toString());
            return false;
        }
    }

    /** c10's number for a level the user wrote (null: ERROR), or -1 when c10 would not understand it. */
    static int level(String value) {
        if (value == null) {
            return ERROR;
        }
        String v = value.trim().toUpperCase(Locale.ROOT);
        int named = LEVELS.indexOf(v);
        if (named >= 0) {
            return named;
        }
        return v.matches("[0-3]") ? Integer.parseInt(v) : -1;
    }
}
