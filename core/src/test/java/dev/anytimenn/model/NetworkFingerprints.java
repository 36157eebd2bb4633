package dev.anytimenn.model;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What identifies a built network: every parameter's name and shape, a few of its initial values
 * for a seed, and the MACs of every unit and exit. Recorded for the default configurations before
 * the architectures' options moved into records (default-networks.json), so a refactoring that
 * builds another network, or initialises it in another order, fails {@link DefaultNetworksTest}.
 */
final class NetworkFingerprints {

    static final int SEED = 42;
    static final int VALUES = 3;

    private NetworkFingerprints() {}

    record ParameterPrint(String name, long[] shape, float[] first, double sumAbs) {}

    record Print(List<ParameterPrint> parameters, long[] stepMacs, List<ExitCost> exits) {}

    /** The configurations checked: each architecture at the CLI's defaults, and a few others in use. */
    static Map<String, ModelConfig> configs() {
        Map<String, ModelConfig> configs = new LinkedHashMap<>();
        InputShape mnist = new InputShape(1, 28, 28);
        InputShape cifar = new InputShape(3, 32, 32);
        for (String arch : List.of("resann", "densann", "msdnet")) {
            configs.put(arch + "-n2-c16-s1", new ModelConfig(arch, 2, 16, 1, 10, mnist));
        }
        configs.put("resann-n4-c8-s1-units6", new ModelConfig("resann", 4, 8, 1, 10, mnist, 6));
        configs.put("densann-n3-c12-s2-cifar100", new ModelConfig("densann", 3, 12, 2, 100, cifar));
        configs.put("msdnet-n2-c6-s2-cifar10", new ModelConfig("msdnet", 2, 6, 2, 10, cifar));
        configs.put("msdnet-n1-c7-s1-30px", new ModelConfig("msdnet", 1, 7, 1, 10, new InputShape(3, 30, 30)));
        return configs;
    }

    static Print of(ModelConfig config, NDManager manager) {
        ai.djl.engine.Engine.getInstance().setRandomSeed(SEED);
        AnytimeNetwork net = Architectures.buildInitialized(config, manager);
        List<ParameterPrint> params = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            float[] values = p.getValue().getArray().toFloatArray();
            double sumAbs = 0;
            for (float v : values) {
                sumAbs += Math.abs(v);
            }
            params.add(new ParameterPrint(p.getKey(), p.getValue().getArray().getShape().getShape(),
                    Arrays.copyOf(values, Math.min(VALUES, values.length)), sumAbs));
        }
        return new Print(params, net.stepMacs(), net.exitCosts());
    }
}
