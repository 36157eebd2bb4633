package dev.anytimenn.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.cfg.PackageVersion;
import com.fasterxml.jackson.module.scala.DefaultScalaModule$;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The core's Jackson and logging, aligned with Spark's in this module: one Jackson, one slf4j binding. */
class AlignmentTest {

    @Test
    void jacksonIsTheVersionSparksScalaModuleWants() {
        var scala = DefaultScalaModule$.MODULE$.version();
        assertThat(PackageVersion.VERSION.getMajorVersion()).isEqualTo(scala.getMajorVersion());
        assertThat(PackageVersion.VERSION.getMinorVersion()).isEqualTo(scala.getMinorVersion());
    }

    @Test
    void slf4jLogsThroughSparksLog4j2NotTheCoresSimpleLogger() {
        assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
                .isEqualTo("org.apache.logging.slf4j.Log4jLoggerFactory");
    }
}
