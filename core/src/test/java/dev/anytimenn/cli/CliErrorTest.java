package dev.anytimenn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anytimenn.data.FashionMnist;
import dev.anytimenn.data.SyntheticIdx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input ends in one clear line on stderr and a non-zero exit code, never a stack trace. */
class CliErrorTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void aTruncatedImageFileIsNamedInOneLine(@TempDir Path temp) throws Exception {
        Path dir = SyntheticIdx.writeLearnable(temp.resolve("data"), 200, 50, 1);
        Path images = dir.resolve(FashionMnist.TRAIN_IMAGES + ".gz");
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        CliRun o = run("train", "--data", dir.toString(), "--out", temp.resolve("run").toString(), "--epochs", "1");

        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err().lines()).hasSize(1);
        assertThat(o.err()).startsWith("error: ").contains(images.toString()).containsIgnoringCase("gzip");
        assertThat(o.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void mismatchedCountsAreNamed(@TempDir Path temp) throws Exception {
        Path dir = SyntheticIdx.writeLearnable(temp.resolve("data"), 200, 50, 1);
        Path other = SyntheticIdx.writeLearnable(temp.resolve("other"), 150, 50, 1);
        Files.copy(other.resolve(FashionMnist.TRAIN_LABELS + ".gz"), dir.resolve(FashionMnist.TRAIN_LABELS + ".gz"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        CliRun o = run("train", "--data", dir.toString(), "--out", temp.resolve("run").toString());

        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err().lines()).hasSize(1);
        assertThat(o.err()).contains("200").contains("150").contains(FashionMnist.TRAIN_LABELS);
    }

    @Test
    void aMissingDataFolderSaysHowToGetTheData(@TempDir Path temp) {
        CliRun o = run("train", "--data", temp.resolve("nowhere").toString(), "--out", temp.resolve("run").toString());
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err().lines()).hasSize(1);
        assertThat(o.err()).contains("nowhere").contains("apt-get install dataset-fashion-mnist");
    }

    @Test
    void evalOfAFolderThatIsNoRun(@TempDir Path temp) {
        CliRun o = run("eval", temp.toString());
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).isEqualTo("error: " + temp + ": not a run folder (no config.json)" + System.lineSeparator());
    }

    @Test
    void evalOfATruncatedOrForeignCheckpointNamesTheFile(@TempDir Path temp) throws Exception {
        Path run = Files.createDirectories(temp.resolve("some/dir"));
        Path checkpoint = run.resolve("checkpoint.ckpt");
        Files.write(checkpoint, "ANYTIME-NN-CKPT\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        CliRun truncated = run("eval", checkpoint.toString());
        assertThat(truncated.code()).isEqualTo(1);
        assertThat(truncated.err()).isEqualTo("error: " + checkpoint + ": checkpoint is truncated"
                + System.lineSeparator());

        Files.writeString(checkpoint, "something else entirely");
        CliRun foreign = run("eval", checkpoint.toString());
        assertThat(foreign.err()).isEqualTo("error: " + checkpoint + ": not an anytime-nn checkpoint"
                + System.lineSeparator());
    }

    @Test
    void badOptionValuesAreUsageErrors(@TempDir Path temp) throws Exception {
        Path dir = SyntheticIdx.writeLearnable(temp.resolve("data"), 200, 50, 1);
        CliRun unknown = run("train", "--weighting", "foo", "--data", dir.toString(), "--out",
                temp.resolve("r").toString());
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown weighting 'foo'").doesNotContain("\tat ");

        CliRun notANumber = run("train", "--epochs", "many");
        assertThat(notANumber.code()).isEqualTo(2);
        assertThat(notANumber.err()).contains("--epochs");

        CliRun badDataset = run("train", "--dataset", "imagenet", "--out", temp.resolve("r2").toString());
        assertThat(badDataset.code()).isEqualTo(1);
        assertThat(badDataset.err()).contains("unknown dataset 'imagenet'").contains("cifar10");

        CliRun noFolder = run("train", "--dataset", "cifar10", "--out", temp.resolve("r3").toString());
        assertThat(noFolder.code()).isEqualTo(1);
        assertThat(noFolder.err().lines()).hasSize(1);
    }

    /** A bad --arch or --weighting is reported before anything is announced or made. */
    @ParameterizedTest
    @CsvSource({"--arch, nosuch, unknown architecture 'nosuch'", "--weighting, nosuch, unknown weighting 'nosuch'",
        "--weighting, opt:9, names head 9 but the network has 6 heads"})
    void aBadArchitectureOrWeightingFailsBeforeTheRunFolderIsAnnounced(String option, String value, String says,
            @TempDir Path temp) throws Exception {
        Path dir = SyntheticIdx.writeLearnable(temp.resolve("data"), 200, 50, 1);
        Path runs = temp.resolve("runs");

        CliRun o = run("train", option, value, "--data", dir.toString(), "--runs-dir", runs.toString());

        assertThat(o.code()).isEqualTo(1);
        assertThat(o.out()).isEmpty();
        assertThat(o.err().lines()).hasSize(1);
        assertThat(o.err()).startsWith("error: " + option + ": ").contains(value, says).doesNotContain("\tat ");
        assertThat(runs).doesNotExist();
    }

    @Test
    void aRunIsNamedAfterTheArchitectureAndWeightingAskedFor() {
        TrainOptions options = new TrainOptions();
        assertThat(options.runName()).isEqualTo("resann-adaloss");
        options.arch = "msdnet";
        options.weighting = "opt:3";
        assertThat(options.runName()).isEqualTo("msdnet-opt3");
        options.name = "mine";
        assertThat(options.runName()).isEqualTo("mine");
    }

    /** --n and --c set the architecture's n and c; --arch-opt any of its options; each problem is one line. */
    @Test
    void architectureOptionsComeFromNCAndArchOpt(@TempDir Path temp) throws Exception {
        TrainOptions options = new TrainOptions();
        assertThat(options.architectureOptions()).isEqualTo(dev.anytimenn.model.ResAnn.Options.DEFAULTS);
        options.arch = "msdnet";
        options.n = 3;
        options.archOptions = java.util.List.of("scales=2,growthFactors=1,2", "bottleneckFactors=[1, 2]");
        assertThat(options.architectureOptions()).isEqualTo(
                new dev.anytimenn.model.MsdNetAnn.Options(3, 16, 2, java.util.List.of(1, 2), java.util.List.of(1, 2)));
        options.archOptions = java.util.List.of("n=2");
        org.assertj.core.api.Assertions.assertThatThrownBy(options::architectureOptions)
                .hasMessage("--n and --arch-opt n=... both set n; give one");

        Path dir = SyntheticIdx.writeLearnable(temp.resolve("data"), 200, 50, 1);
        Path runs = temp.resolve("runs");
        for (String[] bad : new String[][] {{"--arch-opt", "depth=3", "error: --arch-opt: resann: unknown 'depth'; "
                + "choose from n, c"}, {"--arch-opt", "compression=2", "error: --arch-opt: resann: unknown"},
            {"--c", "0", "error: --arch resann: c must be at least 1, got 0"},
            {"--weighting", "adaloss:gamma=0", "error: --weighting: 'adaloss:gamma=0': gamma must be in (0, 1]"}}) {
            CliRun o = run("train", bad[0], bad[1], "--data", dir.toString(), "--runs-dir", runs.toString());
            assertThat(o.code()).isEqualTo(1);
            assertThat(o.err().lines()).hasSize(1);
            assertThat(o.err()).startsWith(bad[2]).doesNotContain("\tat ");
            assertThat(runs).doesNotExist();
        }
    }
}
