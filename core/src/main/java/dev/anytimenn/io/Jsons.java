package dev.anytimenn.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.stream.Collectors;

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

    /**
     * What went wrong reading JSON, in one line: the path of the field ({@code model.n}) and the problem; for a
     * value a constructor refused, that constructor's message rather than Jackson's wrapping of it.
     */
    public static String problem(JacksonException e) {
        String message = e.getCause() instanceof IllegalArgumentException bad ? bad.getMessage() : e.getOriginalMessage();
        message = message == null ? "unknown error" : message.split("\n", 2)[0];
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : Integer.toString(r.getIndex())).collect(Collectors.joining("."));
            return path + ": " + message;
        }
        return message;
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
