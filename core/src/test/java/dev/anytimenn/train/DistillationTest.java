package dev.anytimenn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.anytimenn.data.DataConfig;
import dev.anytimenn.eval.report.RunReport;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.weighting.SieveWeighting;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Self-distillation's loss and gradient, the per-head weight decay, and a short run with both. */
class DistillationTest {

    private static final float[] HEAD = {1f, 2f, 0f, -1f, 0.5f, 0.5f};
    private static final float[] FINAL = {0f, 3f, 1f, 2f, -1f, 0f};

    /** alpha T^2 mean_b KL(p_b || q_b), computed here in double. */
    private static double expected(double t, double alpha) {
        double sum = 0;
        for (int b = 0; b < 2; b++) {
            double[] p = softmax(FINAL, b, t);
            double[] q = softmax(HEAD, b, t);
            for (int j = 0; j < 3; j++) {
                sum += p[j] * (Math.log(p[j]) - Math.log(q[j]));
            }
        }
        return alpha * t * t * sum / 2;
    }

    private static double[] softmax(float[] logits, int row, double t) {
        double[] e = new double[3];
        double z = 0;
        for (int j = 0; j < 3; j++) {
            e[j] = Math.exp(logits[row * 3 + j] / t);
            z += e[j];
        }
        for (int j = 0; j < 3; j++) {
            e[j] /= z;
        }
        return e;
    }

    @Test
    void theLossIsTheScaledKlDivergenceAndOnlyTheEarlyHeadGetsItsGradient() {
        Distillation d = Distillation.parse("2:0.5");
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray head = m.create(HEAD, new Shape(2, 3));
            NDArray fin = m.create(FINAL, new Shape(2, 3));
            head.setRequiresGradient(true);
            fin.setRequiresGradient(true);
            float loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = d.loss(head, fin);
                loss = l.getFloat();
                gc.backward(l);
            }
            assertThat((double) loss).isCloseTo(expected(2, 0.5), within(1e-6));
            // d/dz_head of alpha T^2 KL / B = alpha T (q - p) / B; the teacher gets nothing
            float[] g = head.getGradient().toFloatArray();
            for (int b = 0; b < 2; b++) {
                double[] p = softmax(FINAL, b, 2);
                double[] q = softmax(HEAD, b, 2);
                for (int j = 0; j < 3; j++) {
                    assertThat((double) g[b * 3 + j]).isCloseTo(0.5 * 2 * (q[j] - p[j]) / 2, within(1e-6));
                }
            }
            assertThat(fin.getGradient().abs().sum().getFloat()).isZero();
            // a step against the gradient brings the head closer to the teacher
            NDArray stepped = m.create(HEAD, new Shape(2, 3)).sub(head.getGradient().mul(0.5));
            assertThat(d.loss(stepped, fin).getFloat()).isLessThan(loss);
            // equal logits: nothing to learn
            assertThat(d.loss(fin.duplicate(), fin).getFloat()).isCloseTo(0f, within(1e-6f));
        }
    }

    @Test
    void specsAreCheckedWithAMessageNamingTheOption() {
        assertThat(Distillation.parse(" 3 : 0.5 ")).isEqualTo(new Distillation(3, 0.5));
        assertThat(new Distillation(3, 0.5).spec()).isEqualTo("3:0.5");
        assertThatThrownBy(() -> Distillation.parse("3")).hasMessageContaining("T:alpha");
        assertThatThrownBy(() -> Distillation.parse("0:1")).hasMessageContaining("temperature");
        assertThatThrownBy(() -> Distillation.parse("2:-1")).hasMessageContaining("alpha");
        assertThatThrownBy(() -> Distillation.parse("a:b")).hasMessageContaining("two numbers");
    }

    @Test
    void eachHeadsLinearWeightsDecayByItsStaticWeightAndConvolutionsInFull() {
        ModelConfig config = new ModelConfig("resann", 4, 4, 3, 10, new InputShape(1, 28, 28));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            AnytimeNetwork net = Architectures.buildInitialized(config, m);
            double[] sieve = SieveWeighting.of(net.headCount());
            Map<String, Double> scales = HeadDecay.scales(net, sieve);
            assertThat(scales).hasSize(4); // one linear weight per head
            assertThat(scales.values()).containsExactlyInAnyOrder(sieve[0], sieve[1], sieve[2], sieve[3]);
            try (SgdOptimizer plain = new SgdOptimizer(net, m, 0.9, false, 1e-4);
                    SgdOptimizer scaled = new SgdOptimizer(net, m, 0.9, false, 1e-4, scales)) {
                float[] a = plain.decays();
                float[] b = scaled.decays();
                int changed = 0;
                for (int i = 0; i < a.length; i++) {
                    if (a[i] != b[i]) {
                        changed++;
                        assertThat(b[i]).isLessThan(a[i]); // SIEVE's early heads weigh under 1
                    }
                }
                assertThat(changed).isEqualTo(3); // the final head weighs 1
            }
        }
    }

    @Test
    void aRunWithDistillationAndScaledHeadDecayTrainsAndSavesBoth(@TempDir Path temp) throws Exception {
        TestData.Source source = TestData.fashionMnistOrSynthetic(temp, "DistillationTest");
        TrainConfig training = new TrainConfig(1, 64, 0.05, 0.9, false, 1e-4, "cosine", 0, 3, 500, 640, 0, false,
                "oscillating", "2:0.5", true);
        ModelConfig model = new ModelConfig("resann", 1, 4, 1, 10, new InputShape(1, 28, 28));
        RunConfig config = new RunConfig("d", model, training, DataConfig.fashionMnist(source.dir()));
        RunFolder folder = new RunFolder(temp.resolve("run"));
        RunReport report = TrainingRun.train(config, folder, Device.cpu(), TrainingListener.SILENT);
        assertThat(report.history().get(0).trainLoss()).isFinite().isPositive();
        assertThat(folder.readConfig().training().distill()).isEqualTo("2:0.5");
        assertThat(folder.readConfig().training().scaleHeadDecay()).isTrue();
    }
}
