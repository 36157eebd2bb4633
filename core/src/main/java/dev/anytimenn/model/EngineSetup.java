package dev.anytimenn.model;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.anytimenn.engine.EngineGuard;
import dev.anytimenn.engine.NativeMemory;

/**
 * Readies the native engine to run a network: the one preparation that training, evaluation and
 * inference all make before a network's first step. Freed tensor memory is kept for reuse
 * ({@link NativeMemory}) and every convolution the network runs is checked, and repaired where the
 * engine computes it wrongly ({@link EngineGuard}). Idempotent; a few milliseconds per shape the process
 * has not checked yet.
 */
public final class EngineSetup {

    private EngineSetup() {}

    /**
     * @param net an initialised network (its convolutions' input shapes are known)
     * @throws dev.anytimenn.engine.EngineFaultException when a convolution stays wrong with every workaround
     */
    public static void prepare(Block net, NDManager manager) {
        NativeMemory.retainFreedMemory();
        EngineGuard.requireSoundConvolutions(manager, ConvolutionCases.of(net));
    }
}
