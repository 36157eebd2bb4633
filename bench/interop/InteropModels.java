import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.anytimenn.data.ImageSet;
import dev.anytimenn.data.IdxArray;
import dev.anytimenn.data.IdxReader;
import dev.anytimenn.data.Normalization;
import dev.anytimenn.eval.ExitEvaluator;
import dev.anytimenn.infer.AnytimeModel;
import dev.anytimenn.io.Jsons;
import dev.anytimenn.model.AnytimeNetwork;
import dev.anytimenn.model.Architectures;
import dev.anytimenn.model.InputShape;
import dev.anytimenn.model.ModelConfig;
import dev.anytimenn.store.ModelFile;
import dev.anytimenn.store.ModelStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The models and reference outputs of the interop check: for each case a folder with model.safetensors, what
 * {@code anytime export --format onnx,safetensors} writes from it, and
 * DJL's logits of every exit on a few hundred images (images.bin: uint8 [N, C, H, W]; logits.bin: float32
 * [exit, N, classes], little-endian; reference.json says the sizes). Cases: the shipped Fashion-MNIST model
 * (on the first test images, when the data set is installed) and a seeded network of every registered
 * architecture with batch-norm statistics as after training (random images).
 * Arguments: OUT_DIR [images]
 */
public class InteropModels {

    public static void main(String[] args) throws Exception {
        dev.anytimenn.engine.EngineLogging.quietNativeWarnings();
        Path out = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Files.createDirectories(out);
        Path shipped = Path.of("models/fashion-mnist/model.safetensors");
        Path testImages = Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
        if (Files.isRegularFile(shipped)) {
            Path dir = out.resolve("fashion-mnist");
            Files.createDirectories(dir);
            Files.copy(shipped, dir.resolve("model.safetensors"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            reference(dir, Files.isRegularFile(testImages) ? firstImages(testImages, count) : null, count);
        }
        Map<String, ModelConfig> cases = new LinkedHashMap<>();
        for (String arch : Architectures.names()) {
            cases.put(arch + "-seeded", new ModelConfig(arch, 2, 6, 2, 10, new InputShape(1, 28, 28)));
        }
        cases.put("resann-rgb30", new ModelConfig("resann", 1, 8, 1, 5, new InputShape(3, 30, 30)));
        for (Map.Entry<String, ModelConfig> c : cases.entrySet()) {
            Path dir = out.resolve(c.getKey());
            Files.createDirectories(dir);
            write(c.getValue(), dir.resolve("model.safetensors"), c.getKey().hashCode());
            reference(dir, null, count);
        }
        // exported by the command line itself, in this JVM: what a user runs
        try (java.util.stream.Stream<Path> dirs = Files.list(out)) {
            for (Path dir : dirs.sorted().toList()) {
                java.io.PrintStream stdout = System.out;
                System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
                int code;
                try {
                    code = dev.anytimenn.cli.Main.run("export", dir.resolve("model.safetensors").toString(),
                            "--format", "onnx,safetensors", "--out", dir.toString());
                } finally {
                    System.setOut(stdout);
                }
                if (code != 0) {
                    throw new IllegalStateException("anytime export failed for " + dir);
                }
            }
        }
        System.out.println("wrote and exported " + (cases.size() + (Files.isRegularFile(shipped) ? 1 : 0))
                + " cases into " + out);
    }

    /** A seeded network whose batch norms look trained (not mean 0, variance 1, scale 1, shift 0). */
    static void write(ModelConfig config, Path file, long seed) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
            AnytimeNetwork net = Architectures.buildInitialized(config, manager);
            Random random = new Random(seed);
            for (Pair<String, Parameter> p : net.getParameters()) {
                String name = p.getKey();
                NDArray a = p.getValue().getArray();
                float[] v = a.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    if (name.endsWith("runningVar")) {
                        v[i] = 0.5f + random.nextFloat();
                    } else if (name.endsWith("runningMean")) {
                        v[i] = 0.2f * (float) random.nextGaussian();
                    } else if (name.endsWith("gamma")) {
                        v[i] = 0.6f + 0.8f * random.nextFloat();
                    } else if (name.endsWith("beta")) {
                        v[i] = 0.1f * (float) random.nextGaussian();
                    }
                }
                a.set(v);
            }
            int channels = config.input().channels();
            float[] mean = new float[channels];
            float[] std = new float[channels];
            for (int ch = 0; ch < channels; ch++) {
                mean[ch] = 0.3f + 0.1f * ch;
                std[ch] = 0.35f - 0.05f * ch;
            }
            List<String> names = IntStream.range(0, config.classes()).mapToObj(i -> "class " + i).toList();
            ModelStore.write(file, ModelFile.of(config, names, new Normalization(mean, std), net.exitCosts(), null), net);
        }
    }

    static byte[] firstImages(Path idx, int count) throws Exception {
        IdxArray all = IdxReader.read(idx);
        int size = all.data().length / all.count();
        return java.util.Arrays.copyOf(all.data(), Math.min(count, all.count()) * size);
    }

    /** DJL's logits of every exit of the model in {@code dir} on {@code pixels} (random when null). */
    static void reference(Path dir, byte[] pixels, int count) throws Exception {
        try (AnytimeModel model = AnytimeModel.open(dir.resolve("model.safetensors"), ai.djl.Device.cpu())) {
            InputShape s = model.inputShape();
            if (pixels == null) {
                pixels = new byte[count * s.channels() * s.height() * s.width()];
                new Random(17).nextBytes(pixels);
            }
            int n = pixels.length / (s.channels() * s.height() * s.width());
            int classes = model.classNames().size();
            ImageSet images = new ImageSet(pixels, new int[n], s.channels(), s.height(), s.width(), classes);
            int exits = model.exitCosts().size();
            List<List<float[]>> batches = new ArrayList<>();
            ExitEvaluator.forEachBatch(model.network(), model.manager(), images, model.normalization(), 100,
                    (batch, logits, scope) -> {
                        List<float[]> perExit = new ArrayList<>();
                        logits.forEach(l -> perExit.add(l.toFloatArray()));
                        batches.add(perExit);
                    });
            ByteBuffer logits = ByteBuffer.allocate(4 * exits * n * classes).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < exits; k++) {
                for (List<float[]> b : batches) {
                    for (float v : b.get(k)) {
                        logits.putFloat(v);
                    }
                }
            }
            Files.write(dir.resolve("images.bin"), pixels);
            Files.write(dir.resolve("logits.bin"), logits.array());
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("images", n);
            ref.put("shape", new int[] {s.channels(), s.height(), s.width()});
            ref.put("exits", exits);
            ref.put("classes", classes);
            ref.put("engine", "DJL " + ai.djl.engine.Engine.getInstance().getVersion() + " ("
                    + ai.djl.engine.Engine.getInstance().getEngineName() + ")");
            Jsons.MAPPER.writeValue(dir.resolve("reference.json").toFile(), ref);
        }
    }
}
