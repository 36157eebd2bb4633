package dev.anytimenn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {

    @Test
    void goesAheadOnLinuxWithoutMallocSettings() {
        assertThat(NativeMemory.reasonToSkip(Map.of("PATH", "/usr/bin"), "true", true)).isNull();
    }

    @Test
    void theUsersMallocEnvironmentWins() {
        assertThat(NativeMemory.reasonToSkip(Map.of("MALLOC_ARENA_MAX", "2"), "true", true)).isNull();
        assertThat(NativeMemory.reasonToSkip(Map.of("MALLOC_TRIM_THRESHOLD_", "0"), "true", true))
                .contains("MALLOC_TRIM_THRESHOLD_");
        assertThat(NativeMemory.reasonToSkip(Map.of("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=1"), "true", true))
                .contains("GLIBC_TUNABLES");
        assertThat(NativeMemory.reasonToSkip(Map.of("GLIBC_TUNABLES", "glibc.cpu.hwcaps=-AVX"), "true", true)).isNull();
    }

    @Test
    void canBeTurnedOffAndIsLinuxOnly() {
        assertThat(NativeMemory.reasonToSkip(Map.of(), " FALSE ", true)).contains(NativeMemory.DISABLE_PROPERTY);
        assertThat(NativeMemory.reasonToSkip(Map.of(), "true", false)).isEqualTo("not Linux");
    }

    @Test
    void glibcAcceptsTheThresholds() {
        assumeTrue(Platform.isLinux() && NativeMemory.reasonToSkip(System.getenv(),
                System.getProperty(NativeMemory.DISABLE_PROPERTY, "true"), true) == null);
        assertThat(NativeMemory.retainFreedMemory()).isTrue();
        assertThat(NativeMemory.retainFreedMemory()).as("idempotent").isTrue();
    }
}
