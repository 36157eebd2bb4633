package dev.anytimenn.io;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The project's shared JSON configuration: pretty printed ({@code "key": value}, two-space
 * indent), properties in declaration order (records: component order), unknown properties
 * ignored when reading so that files written by later versions still load.
 */
public final class Jsons {

    /** Shared, thread-safe mapper. Do not reconfigure it; call {@link #newMapper()} instead. */
    public static final ObjectMapper MAPPER = newMapper();

    private Jsons() {
    }

    /** A fresh mapper with the shared configuration. */
    public static ObjectMapper newMapper() {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter();
        printer.indentObjectsWith(new DefaultIndenter("  ", "\n")); // same bytes on every OS
        printer = printer.withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        return JsonMapper.builder()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .defaultPrettyPrinter(printer)
                .build();
    }
}
