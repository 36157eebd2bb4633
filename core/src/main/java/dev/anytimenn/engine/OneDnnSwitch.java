package dev.anytimenn.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns libtorch's use of oneDNN (MKL-DNN) for convolutions on or off at run time, through the C++ call
 * {@code at::globalContext().setUserEnabledMkldnn(bool)} made with JNA on the libtorch already loaded in
 * this process. With it off, convolutions take ATen's own path (im2col and a matrix product), which does
 * not use oneDNN's faulty weight reorder (bench/RESULTS.md, #13). NNPACK goes off and on with it. Process-wide,
 * as the engine is.
 */
final class OneDnnSwitch implements EngineGuard.OneDnn {

    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    private static final String SET_ENABLED = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private static final String SET_NNPACK = "_ZN2at7Context20setUserEnabledNNPACKEb";

    private final Pointer context;
    private final Function setEnabled;
    private final Function setNnpack;

    private OneDnnSwitch(NativeLibrary torch) {
        this.context = torch.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
        this.setEnabled = torch.getFunction(SET_ENABLED);
        this.setNnpack = torch.getFunction(SET_NNPACK);
    }

    /** The switch of the libtorch loaded in this process; empty when it cannot be reached. */
    static Optional<OneDnnSwitch> find() {
        try {
            Optional<Path> library = LoadedLibraries.find("libtorch_cpu.so");
            return library.map(path -> new OneDnnSwitch(NativeLibrary.getInstance(path.toString())));
        } catch (IOException | UnsatisfiedLinkError | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void setEnabled(boolean enabled) {
        setEnabled.invokeVoid(new Object[] {context, enabled});
        // without oneDNN, ATen tries NNPACK first; where NNPACK does not support the CPU it prints a warning
        // on every convolution, so the fallback is ATen's im2col path alone
        setNnpack.invokeVoid(new Object[] {context, enabled});
    }
}
