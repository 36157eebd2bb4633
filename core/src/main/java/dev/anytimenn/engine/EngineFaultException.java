package dev.anytimenn.engine;

/** The engine computes wrong results on this machine and no workaround repairs them: nothing may run on it. */
public final class EngineFaultException extends RuntimeException {
    public EngineFaultException(String message) {
        super(message);
    }
}
