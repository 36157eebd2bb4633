package dev.anytimenn.ort;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Runs native work that needs a deep stack on a short-lived thread that has one (see {@link OrtNetwork#open}). */
final class LargeStack {

    /** Far above what ONNX Runtime was seen to need; only reserved address space until touched. */
    static final long STACK_BYTES = 64L << 20;

    private LargeStack() {}

    /** {@code work}'s result, computed on a new thread with a {@value #STACK_BYTES}-byte stack; its exceptions rethrown here. */
    static <T> T call(String name, Supplier<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                result.set(work.get());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, name, STACK_BYTES);
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the sessions are being made; wait for them rather than leak them
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return result.get();
    }
}
