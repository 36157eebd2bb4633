package dev.anytimenn.spark;

import dev.anytimenn.engine.EngineLogging;

/**
 * What the native engine reads once per JVM, when it loads: set on the driver and in every executor before
 * the first model opens there. In local mode the executors are the driver's JVM, so the driver's settings hold.
 */
final class EngineSettings {

    private static boolean prepared;

    private EngineSettings() {}

    /**
     * @param threads engine intra-op threads per task; tasks run side by side, one per core, so 1 unless an
     *     executor runs fewer tasks than it has cores
     */
    static synchronized void prepare(int threads) {
        if (prepared) {
            return;
        }
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("java.awt.headless", "true");
        EngineLogging.quietNativeWarnings();
        prepared = true;
    }
}
