package dev.anytimenn.cli;

import ai.djl.ndarray.NDManager;
import dev.anytimenn.engine.ConvolutionCase;
import dev.anytimenn.engine.ConvolutionSelfCheck;
import dev.anytimenn.engine.Convolutions;
import dev.anytimenn.engine.CpuCaches;
import dev.anytimenn.engine.EngineGuard;
import dev.anytimenn.engine.SelfCheckResult;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Checks the engine's convolutions against a float64 reference, as every training and prediction does. */
@Command(name = "self-check", mixinStandardHelpOptions = true,
        description = {"Checks that the engine computes convolutions (forward, input and weight gradients) right on"
            + " this machine, first as it is, then with the guard that training and prediction use.",
            "Exit code 0 when the guarded engine is right, 1 when nothing repairs it."})
final class SelfCheckCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.apply();
        CpuCaches caches = CpuCaches.read(CpuCaches.SYSFS);
        System.out.println("CPU caches: " + caches.describe()
                + (caches.hidden() ? " (hidden: libtorch 2.7.1's oneDNN is known to be wrong on such CPUs)" : ""));
        List<ConvolutionCase> cases = ConvolutionSelfCheck.defaultCases(common.threads);
        try (NDManager manager = NDManager.newBaseManager()) {
            SelfCheckResult direct = ConvolutionSelfCheck.run(manager, Convolutions.ENGINE, cases);
            System.out.println("engine as it is: " + (direct.ok() ? "OK, " : "WRONG, ") + direct.summary());
            EngineGuard.requireSoundConvolutions(manager, cases); // throws, with the remedy, if nothing repairs it
            System.out.println("with the guard: OK (" + EngineGuard.state() + ")");
        }
        return 0;
    }
}
