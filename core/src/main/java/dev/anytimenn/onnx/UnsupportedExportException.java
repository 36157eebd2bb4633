package dev.anytimenn.onnx;

/** A network, or a part of one, that has no faithful ONNX form here: refused rather than written wrong. */
public final class UnsupportedExportException extends IllegalArgumentException {

    public UnsupportedExportException(String message) {
        super(message);
    }
}
