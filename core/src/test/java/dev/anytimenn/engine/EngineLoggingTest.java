package dev.anytimenn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

class EngineLoggingTest {

    @Test
    void levelsAreReadAsC10ReadsThem() {
        assertThat(EngineLogging.level(null)).isEqualTo(EngineLogging.ERROR);
        assertThat(EngineLogging.level("info")).isZero();
        assertThat(EngineLogging.level(" WARNING ")).isEqualTo(1);
        assertThat(EngineLogging.level("3")).isEqualTo(3);
        assertThat(EngineLogging.level("loud")).isEqualTo(-1);
        assertThat(EngineLogging.level("7")).isEqualTo(-1);
    }

    @Test
    void setsTheLevelInTheLoadedLibc10() throws Exception {
        assumeTrue(Platform.isLinux() && System.getenv(EngineLogging.LEVEL_VARIABLE) == null);
        assertThat(EngineLogging.quietNativeWarnings()).isTrue();
        var c10 = LoadedLibraries.find("libc10.so");
        assertThat(c10).isPresent();
        assertThat(NativeLibrary.getInstance(c10.get().toString()).getGlobalVariableAddress(EngineLogging.FLAG)
                .getInt(0)).isEqualTo(EngineLogging.ERROR);
    }
}
