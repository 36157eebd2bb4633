package dev.anytimenn.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets glibc keep the memory of freed tensors for reuse instead of returning it to the kernel.
 *
 * <p>Why: every training step allocates its activations and gradients afresh (megabytes each) and frees
 * them when the step's sub-manager closes. Java runs that work on a non-main thread, so glibc serves it
 * from a thread arena, and it gives an emptied arena heap back to the kernel at once. The next step
 * faults every page in again and the kernel zeroes it. Training the demo model took about 40 thousand
 * page faults per step and 17 % of all CPU time was in the kernel; with the settings here, a few hundred
 * faults per step and 2 % (bench/RESULTS.md, #6). Three settings are needed: the trim threshold (free
 * memory kept at the top of a heap), the mmap threshold (fixed, so large blocks come from the heaps
 * rather than being mapped and unmapped one by one) and the top pad (a thread arena deletes a heap that
 * empties completely unless this much padding is asked for, whatever the trim threshold).
 *
 * <p>So freed memory stays in the process: resident memory stays near its peak
 * instead of falling between steps, and it does not creep up, because the kept memory is reused.
 *
 * <p>Process-wide and idempotent. It does nothing on anything but Linux with glibc, when the user has
 * set glibc's own malloc environment variables (they win), or when the system property
 * {@value #DISABLE_PROPERTY} is {@code false}.
 */
public final class NativeMemory {

    /** Set to {@code false} to leave glibc's malloc settings alone. */
    public static final String DISABLE_PROPERTY = "anytimenn.retainNativeMemory";

    // glibc's malloc.h parameter numbers
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;

    /** Free memory at the top of a heap kept before trimming; above any one step's working set here. */
    static final int TRIM_THRESHOLD = 1 << 30;
    /**
     * Blocks this large or larger are mapped on their own (and unmapped when freed). 32 MiB is the largest
     * value glibc accepts on 64-bit; it covers one activation of batch 128 at 64 channels of 32x32.
     */
    static final int MMAP_THRESHOLD = 32 << 20;
    /** glibc's largest thread-arena heap (64 MiB on 64-bit), so that no emptied heap is deleted. */
    static final int TOP_PAD = 64 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(NativeMemory.class);
    private static Boolean applied;

    private NativeMemory() {}

    /**
     * Fixes glibc's trim threshold, mmap threshold and top pad once per process.
     *
     * @return whether the settings are now fixed by this call or an earlier one
     */
    public static synchronized boolean retainFreedMemory() {
        if (applied == null) {
            applied = apply(System.getenv(), System.getProperty(DISABLE_PROPERTY, "true"));
        }
        return applied;
    }

    private static boolean apply(Map<String, String> env, String enabled) {
        String skip = reasonToSkip(env, enabled, Platform.isLinux());
        if (skip != null) {
            LOG.debug("leaving malloc settings alone: {}", skip);
            return false;
        }
        try {
            NativeLibrary libc = NativeLibrary.getInstance("c");
            libc.getFunction("gnu_get_libc_version"); // throws unless this is glibc
            Function mallopt = libc.getFunction("mallopt");
            boolean ok = mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, TRIM_THRESHOLD}) == 1
                    && mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, MMAP_THRESHOLD}) == 1
                    && mallopt.invokeInt(new Object[] {M_TOP_PAD, TOP_PAD}) == 1;
            LOG.debug("malloc trim threshold {} B, mmap threshold {} B, top pad {} B: {}", TRIM_THRESHOLD,
                    MMAP_THRESHOLD, TOP_PAD, ok ? "set" : "refused");
            return ok;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.debug("cannot reach glibc's mallopt ({}); malloc settings unchanged", e.toString());
            return false;
        }
    }

    /** Why not to touch malloc here, or null to go ahead. */
    static String reasonToSkip(Map<String, String> env, String enabled, boolean linux) {
        if ("false".equals(enabled.trim().toLowerCase(Locale.ROOT))) {
            return "-D" + DISABLE_PROPERTY + "=false";
        }
        if (!linux) {
            return "not Linux";
        }
        for (String name : env.keySet()) {
            if (name.startsWith("MALLOC_") && name.endsWith("_")) {
                return "the environment sets " + name;
            }
        }
        String tunables = env.get("GLIBC_TUNABLES");
        if (tunables != null && tunables.contains("glibc.malloc.")) {
            return "GLIBC_TUNABLES sets malloc";
        }
        return null;
    }
}
