package dev.anytimenn.data;

import java.nio.file.Path;
import java.util.List;

/** The data set is not installed where we looked; the message tells the user how to fix that. */
public class MissingDataException extends Exception {

    private static final long serialVersionUID = 1L;

    public static final String HOW_TO_GET =
            "install the Debian package with: sudo apt-get install dataset-fashion-mnist or pass --data DIR";

    private final transient Path dir;
    private final List<String> missingFiles;

    /**
     * @param dir the folder searched
     * @param missingFiles names of the files not found there
     * @param folderMissing whether {@code dir} itself does not exist (then every file is missing)
     */
    public MissingDataException(Path dir, List<String> missingFiles, boolean folderMissing) {
        this(dir, missingFiles, message(dir, missingFiles, folderMissing));
    }

    /**
     * For data sets other than Fashion-MNIST, which explain themselves.
     *
     * @param message one line naming the folder, the missing files and how to get them
     */
    public MissingDataException(Path dir, List<String> missingFiles, String message) {
        super(message);
        this.dir = dir;
        this.missingFiles = List.copyOf(missingFiles);
    }

    public Path dir() {
        return dir;
    }

    public List<String> missingFiles() {
        return missingFiles;
    }

    private static String message(Path dir, List<String> missing, boolean folderMissing) {
        String files = String.join(", ", missing);
        if (folderMissing) {
            return "Fashion-MNIST data folder " + dir + " does not exist (expected files: " + files + "); "
                    + HOW_TO_GET;
        }
        return "Fashion-MNIST data folder " + dir + " is missing " + files
                + " (the un-gzipped names are accepted too); " + HOW_TO_GET;
    }
}
