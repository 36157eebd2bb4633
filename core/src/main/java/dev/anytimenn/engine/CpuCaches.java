package dev.anytimenn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The data caches the kernel lists for CPU 0 under sysfs. Why it matters: the kernel fills this from the
 * same CPUID cache leaves (4 on Intel, 0x8000001D on AMD) that oneDNN reads to size its blocks. Hypervisors
 * that zero those leaves leave the folder empty or absent, and libtorch 2.7.1's oneDNN then computes wrong
 * convolutions for some shapes (bench/RESULTS.md, #13): an empty list is the sign to check them closely.
 */
public record CpuCaches(boolean readable, List<Cache> caches) {

    /** The default place: {@code /sys/devices/system/cpu/cpu0/cache}. */
    public static final Path SYSFS = Path.of("/sys/devices/system/cpu/cpu0/cache");

    /** One cache entry: its level, type (Data, Instruction, Unified) and size in bytes. */
    public record Cache(int level, String type, long bytes) {}

    /** Reads the entries below {@code root} ({@code index0}, {@code index1}, ...). */
    public static CpuCaches read(Path root) {
        if (!Files.isDirectory(root.getParent() == null ? root : root.getParent())) {
            return new CpuCaches(false, List.of()); // not Linux, or no sysfs: nothing to say
        }
        List<Cache> caches = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> entries = Files.list(root)) {
                for (Path index : entries.filter(p -> p.getFileName().toString().startsWith("index")).sorted().toList()) {
                    caches.add(new Cache(Integer.parseInt(text(index.resolve("level"))), text(index.resolve("type")),
                            bytes(text(index.resolve("size")))));
                }
            } catch (IOException | RuntimeException e) {
                // an unreadable entry counts as missing: the check that follows decides
            }
        }
        return new CpuCaches(true, List.copyOf(caches));
    }

    /** True when sysfs is there but lists no data or unified cache with a size: CPUID hides the caches. */
    public boolean hidden() {
        return readable && caches.stream().noneMatch(c -> !c.type().equalsIgnoreCase("Instruction") && c.bytes() > 0);
    }

    public String describe() {
        if (!readable) {
            return "cache sizes unknown (no sysfs)";
        }
        if (caches.isEmpty()) {
            return "the CPU reports no caches (no entries under " + SYSFS + ")";
        }
        return caches.stream().map(c -> String.format(Locale.ROOT, "L%d %s %d KiB", c.level(),
                c.type().toLowerCase(Locale.ROOT), c.bytes() / 1024)).reduce((a, b) -> a + ", " + b).orElse("");
    }

    private static String text(Path file) throws IOException {
        return Files.readString(file).trim();
    }

    /** "48K", "1024K", "32M" or a plain number of bytes. */
    static long bytes(String size) {
        String s = size.trim().toUpperCase(Locale.ROOT);
        long unit = s.endsWith("K") ? 1024 : s.endsWith("M") ? 1024 * 1024 : s.endsWith("G") ? 1L << 30 : 1;
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        return Long.parseLong(digits.isEmpty() ? "0" : digits) * unit;
    }
}
