package dev.anytimenn.serve;

import java.util.Locale;

/**
 * Admission's estimate of when a request queued now would have its first exit's answer, and what it is made
 * of, so that a refusal can say why (an estimate held high by one part reads differently from a long queue).
 *
 * @param freeMs until a worker is free to take it
 * @param fullBatches batches of the largest size queued ahead of it, per worker
 * @param fullBatchesMs the time those take to their first exits' answers
 * @param batch the size of its own batch
 * @param firstExitMs that batch's expected time to its first exit
 * @param handOverMs the time to hand each answer of that batch over
 */
record FirstAnswerEstimate(double freeMs, int fullBatches, double fullBatchesMs, int batch, double firstExitMs,
        double handOverMs) {

    double totalMs() {
        return freeMs + fullBatchesMs + firstExitMs + batch * handOverMs;
    }

    String describe() {
        return String.format(Locale.ROOT, "a worker free in %.2f ms, %d full batches ahead taking %.2f ms, then a batch "
                + "of %d to its first exit in %.2f ms and %.2f ms to hand each answer over", freeMs, fullBatches,
                fullBatchesMs, batch, firstExitMs, handOverMs);
    }
}
