package dev.anytimenn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anytimenn.eval.report.EpochSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Progress for logs: plain lines, no carriage returns, at most one every interval. */
class ConsoleProgressTest {

    private long now;

    /** Two epochs of 100 steps, each step taking {@code secondsPerStep} by the test's clock. */
    private List<String> twoEpochs(double secondsPerStep) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false,
                () -> now);
        for (int epoch = 1; epoch <= 2; epoch++) {
            progress.epochStarted(epoch, 2, 100);
            for (int step = 1; step <= 100; step++) {
                now += (long) (secondsPerStep * TimeUnit.SECONDS.toNanos(1));
                progress.stepFinished(epoch, step, 2.5, 800);
            }
            progress.epochFinished(new EpochSummary(epoch, 2.0, 0.1, 100 * secondsPerStep, 800,
                    new double[] {0.5, 0.6}, new double[] {1.0, 0.9}, new double[] {1, 1}));
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\r");
        return text.lines().toList();
    }

    @Test
    void aFastEpochPrintsOnlyItsSummary() {
        List<String> lines = twoEpochs(0.1);
        assertThat(lines).hasSize(2 * 3);
        assertThat(lines.get(0)).isEqualTo("epoch 1/2: loss 2.0000, lr 0.1000, 800 img/s, 10 s");
        assertThat(lines.get(1)).isEqualTo("  validation accuracy per exit: 50.00%  60.00%");
        assertThat(lines.get(3)).startsWith("epoch 2/2: loss");
    }

    @Test
    void aSlowEpochPrintsALineEveryInterval() {
        // 1 s a step: steps 30, 60 and 90 of each epoch are reported, the last step by the summary
        List<String> lines = twoEpochs(1.0);
        List<String> progress = lines.stream().filter(l -> l.contains(": step ")).toList();
        assertThat(ConsoleProgress.LINE_INTERVAL_SECONDS).isEqualTo(30);
        assertThat(progress).containsExactly(
                "epoch 1/2: step 30/100, loss 2.500  800 img/s",
                "epoch 1/2: step 60/100, loss 2.500  800 img/s",
                "epoch 1/2: step 90/100, loss 2.500  800 img/s",
                "epoch 2/2: step 30/100, loss 2.500  800 img/s",
                "epoch 2/2: step 60/100, loss 2.500  800 img/s",
                "epoch 2/2: step 90/100, loss 2.500  800 img/s");
        assertThat(lines).hasSize(6 + 2 * 3);
    }

    @Test
    void theProgressOptionChoosesBarOrLines() {
        assertThat(parsed("--progress", "bar").progress().drawsBar()).isTrue();
        assertThat(parsed("--progress", "lines").progress().drawsBar()).isFalse();
        // tests run without a terminal, so auto means lines
        assertThat(System.console()).isNull();
        CommonOptions auto = parsed();
        assertThat(auto.progress).isEqualTo(CommonOptions.Progress.auto);
        assertThat(auto.progress().drawsBar()).isFalse();
    }

    private static CommonOptions parsed(String... args) {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs(args);
        return command.common;
    }
}
