package dev.anytimenn.data;

import java.util.List;
import java.util.Objects;

/** Images together with the name of each class, in label order (label i is {@code classNames.get(i)}). */
public record LabelledImages(ImageSet images, List<String> classNames) {

    public LabelledImages {
        Objects.requireNonNull(images, "images");
        classNames = List.copyOf(classNames);
        if (classNames.size() != images.classes()) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + images.classes()
                    + " classes");
        }
    }
}
