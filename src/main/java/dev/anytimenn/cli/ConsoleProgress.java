package dev.anytimenn.cli;

import dev.anytimenn.eval.report.EpochSummary;
import dev.anytimenn.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar per epoch (loss, images/s, ETA) and a summary line after it. */
final class ConsoleProgress implements TrainingListener {

    private final PrintStream out;
    private ProgressBar bar;
    private int epochs;

    ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void epochStarted(int epoch, int epochs, int steps) {
        this.epochs = epochs;
        bar = new ProgressBarBuilder()
                .setTaskName(String.format("epoch %d/%d", epoch, epochs))
                .setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(1000)
                .setMaxRenderedLength(110)
                .build();
    }

    @Override
    public void stepFinished(int epoch, int step, double loss, double imagesPerSecond) {
        bar.stepTo(step);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f  %.0f img/s", loss, imagesPerSecond));
    }

    @Override
    public void epochFinished(EpochSummary s) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        out.printf(Locale.ROOT, "epoch %d/%d: loss %.4f, lr %.4f, %.0f img/s, %.0f s%n", s.epoch(), epochs,
                s.trainLoss(), s.learningRate(), s.imagesPerSecond(), s.seconds());
        if (s.validationAccuracy().length > 0) {
            out.println("  validation accuracy per exit: " + percentages(s.validationAccuracy()));
        }
        out.println("  loss weights per exit:        " + decimals(s.weights()));
    }

    private static String percentages(double[] values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            b.append(b.length() == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%5.2f%%", 100 * v));
        }
        return b.toString();
    }

    private static String decimals(double[] values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            b.append(b.length() == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%6.3f", v));
        }
        return b.toString();
    }
}
