package dev.anytimenn.cli;

import dev.anytimenn.eval.report.EpochSummary;
import dev.anytimenn.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Training progress and a summary line after each epoch. On a terminal, a progress bar per epoch
 * (loss, images/s, ETA); otherwise (a log file, a pipe) plain lines, one every
 * {@link #LINE_INTERVAL_SECONDS} seconds at most, since a bar's carriage-return frames would pile
 * up on one line of the log.
 */
final class ConsoleProgress implements TrainingListener {

    static final long LINE_INTERVAL_SECONDS = 30;

    private final PrintStream out;
    private final boolean bar;
    private final LongSupplier nanoClock;
    private ProgressBar progressBar;
    private int epochs;
    private int steps;
    private long lastLine;

    /**
     * @param bar        draw a progress bar (for a terminal) rather than plain lines
     * @param nanoClock  time for the plain lines' interval, in nanoseconds (System::nanoTime)
     */
    ConsoleProgress(PrintStream out, boolean bar, LongSupplier nanoClock) {
        this.out = out;
        this.bar = bar;
        this.nanoClock = nanoClock;
    }

    boolean drawsBar() {
        return bar;
    }

    @Override
    public void epochStarted(int epoch, int epochs, int steps) {
        this.epochs = epochs;
        this.steps = steps;
        lastLine = nanoClock.getAsLong();
        if (bar) {
            progressBar = new ProgressBarBuilder()
                    .setTaskName(String.format("epoch %d/%d", epoch, epochs))
                    .setInitialMax(steps)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(1000)
                    .setMaxRenderedLength(110)
                    .build();
        }
    }

    @Override
    public void stepFinished(int epoch, int step, double loss, double imagesPerSecond) {
        String status = String.format(Locale.ROOT, "loss %.3f  %.0f img/s", loss, imagesPerSecond);
        if (bar) {
            progressBar.stepTo(step);
            progressBar.setExtraMessage(status);
            return;
        }
        long now = nanoClock.getAsLong();
        if (now - lastLine >= TimeUnit.SECONDS.toNanos(LINE_INTERVAL_SECONDS) && step < steps) {
            out.printf(Locale.ROOT, "epoch %d/%d: step %d/%d, %s%n", epoch, epochs, step, steps, status);
            lastLine = now;
        }
    }

    @Override
    public void epochFinished(EpochSummary s) {
        if (progressBar != null) {
            progressBar.close();
            progressBar = null;
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
