package dev.anytimenn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the shared libraries the engine has already loaded, so that JNA can reach symbols in the very copy
 * DJL extracted and loaded (its path is in DJL's cache, not on any library path).
 */
final class LoadedLibraries {

    private static final Path MAPS = Path.of("/proc/self/maps");

    private LoadedLibraries() {}

    /** The path of a loaded shared library whose file name is {@code name}; empty where /proc is not there. */
    static Optional<Path> find(String name) throws IOException {
        if (!Files.isReadable(MAPS)) {
            return Optional.empty();
        }
        try (var lines = Files.lines(MAPS)) {
            return lines.map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .filter(p -> p.startsWith("/") && Path.of(p).getFileName().toString().equals(name))
                    .map(Path::of)
                    .findFirst();
        }
    }
}
