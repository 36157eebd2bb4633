package dev.anytimenn.serve;

/**
 * One checked prediction request.
 *
 * @param pixels the image as model input, uint8 C x H x W
 * @param deadlineMs the time from arrival to the answer
 * @param budgetMacs a MAC budget, or null
 * @param confidence a confidence threshold for every exit but the last, or null
 * @param score the confidence score the threshold applies to
 * @param calibrated whether to stop at the model's calibrated thresholds
 * @param stream whether to answer with one Server-Sent Event per exit
 */
record PredictRequest(byte[] pixels, double deadlineMs, Long budgetMacs, Double confidence, String score,
        boolean calibrated, boolean stream) {}
