package dev.anytimenn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuCachesTest {

    @TempDir
    Path sys;

    private Path cacheDir() {
        return sys.resolve("cpu0").resolve("cache");
    }

    private void entry(int index, int level, String type, String size) throws IOException {
        Path dir = Files.createDirectories(cacheDir().resolve("index" + index));
        Files.writeString(dir.resolve("level"), level + "\n");
        Files.writeString(dir.resolve("type"), type + "\n");
        Files.writeString(dir.resolve("size"), size + "\n");
    }

    @Test
    void aMachineThatListsItsCachesIsNotFlagged() throws IOException {
        entry(0, 1, "Data", "48K");
        entry(1, 1, "Instruction", "32K");
        entry(2, 2, "Unified", "1024K");
        entry(3, 3, "Unified", "32M");
        CpuCaches caches = CpuCaches.read(cacheDir());
        assertThat(caches.hidden()).isFalse();
        assertThat(caches.caches()).extracting(CpuCaches.Cache::bytes)
                .containsExactly(48L * 1024, 32L * 1024, 1024L * 1024, 32L << 20);
        assertThat(caches.describe()).contains("L1 data 48 KiB").contains("L3 unified 32768 KiB");
    }

    @Test
    void noCacheFolderMeansCpuidHidesTheCaches() throws IOException {
        Files.createDirectories(sys.resolve("cpu0")); // as on the affected VMs: cpu0 without cache/
        CpuCaches caches = CpuCaches.read(cacheDir());
        assertThat(caches.hidden()).isTrue();
        assertThat(caches.describe()).contains("no caches");
    }

    @Test
    void zeroSizesOrOnlyInstructionCachesAreHiddenToo() throws IOException {
        entry(0, 1, "Data", "0K");
        entry(1, 1, "Instruction", "32K");
        assertThat(CpuCaches.read(cacheDir()).hidden()).isTrue();
    }

    @Test
    void withoutSysfsNothingIsClaimed() {
        CpuCaches caches = CpuCaches.read(sys.resolve("nosuch").resolve("cpu0").resolve("cache"));
        assertThat(caches.readable()).isFalse();
        assertThat(caches.hidden()).isFalse();
    }

    @Test
    void sizesParse() {
        assertThat(CpuCaches.bytes("512")).isEqualTo(512);
        assertThat(CpuCaches.bytes("48K")).isEqualTo(48 * 1024);
        assertThat(CpuCaches.bytes("2M")).isEqualTo(2 << 20);
    }
}
