package dev.anytimenn.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import dev.anytimenn.model.AnytimeNetwork;
import java.util.HashMap;
import java.util.Map;

/**
 * The paper's code regularises each head's fully connected layer with its static loss weight times the
 * weight decay ({@code wd_cost += cost_weight * wd_w * l2_loss(var)} over the prediction layer's
 * variables), while every convolution, in a head or not, decays at the full rate. This gives the factors
 * for {@link SgdOptimizer}: head k's linear weights get static weight B_k.
 */
final class HeadDecay {

    private HeadDecay() {}

    /** By parameter id: the linear-layer weights of head k scaled by {@code staticWeights[k]}. */
    static Map<String, Double> scales(AnytimeNetwork net, double[] staticWeights) {
        if (staticWeights.length != net.headCount()) {
            throw new IllegalArgumentException(staticWeights.length + " static weights for " + net.headCount()
                    + " heads");
        }
        Map<String, Double> scales = new HashMap<>();
        for (int k = 0; k < net.headCount(); k++) {
            collect(net.head(k), staticWeights[k], scales);
        }
        return scales;
    }

    private static void collect(Block block, double scale, Map<String, Double> scales) {
        if (block instanceof Linear) {
            for (Parameter p : block.getDirectParameters().values()) {
                if (p.getType() == Parameter.Type.WEIGHT) {
                    scales.put(p.getId(), scale);
                }
            }
        }
        for (Block child : block.getChildren().values()) {
            collect(child, scale, scales);
        }
    }
}
