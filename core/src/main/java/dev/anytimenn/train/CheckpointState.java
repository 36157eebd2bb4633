package dev.anytimenn.train;

import dev.anytimenn.data.Normalization;
import dev.anytimenn.eval.report.EpochSummary;
import dev.anytimenn.weighting.WeightingState;
import java.util.List;

/**
 * Everything besides the tensors that a resumed run needs to continue exactly.
 *
 * @param epochsDone completed epochs
 * @param step optimisation steps taken (the loss weightings are functions of it)
 * @param trainingSeconds wall time spent training so far, summed over sessions
 * @param normalization the input normalisation fitted on the training images, needed to use the model
 */
public record CheckpointState(int epochsDone, long step, double trainingSeconds,
        Normalization normalization, WeightingState weighting, List<EpochSummary> history) {

    public CheckpointState {
        history = List.copyOf(history);
        if (weighting == null) {
            weighting = WeightingState.EMPTY;
        }
    }
}
