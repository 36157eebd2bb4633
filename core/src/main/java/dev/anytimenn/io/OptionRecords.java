package dev.anytimenn.io;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Options records: the named settings of one part (an architecture, a loss weighting) declared as a
 * record. Each component is an option, described by its {@link JsonPropertyDescription}; a defaults
 * instance gives every option's default; the record's constructor validates, with a one-line message
 * naming the option. This class reads such records from JSON objects and from {@code name=value}
 * text, the defaults filling in what is not given, writes them back, and lists them for help.
 *
 * <p>Option types: {@code int}, {@code long}, {@code double}, {@code boolean}, {@code String} and
 * lists of {@code Integer} or {@code Double} (lists, not arrays, so that records compare by value).
 * Every failure is an {@link IllegalArgumentException} whose message starts with the option's name.
 */
public final class OptionRecords {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A comma that starts the next {@code name=value}: commas inside a list value do not split. */
    private static final Pattern ASSIGNMENT_SEPARATOR = Pattern.compile(",(?=\\s*[A-Za-z][A-Za-z0-9_-]*\\s*=)");

    private OptionRecords() {}

    /** One option as help shows it: its name, its kind of value, its default and what it means. */
    public record Described(String name, String type, String defaultValue, String help) {

        /** e.g. {@code "n=INT: units per stage (default 2)"}. */
        public String line() {
            return name + "=" + type + (help.isEmpty() ? "" : ": " + help) + " (default " + defaultValue + ")";
        }
    }

    /** The options of {@code defaults}' record, in declaration order. */
    public static List<Described> describe(Record defaults) {
        List<Described> options = new ArrayList<>();
        for (RecordComponent c : components(defaults)) {
            JsonPropertyDescription help = c.getAccessor().getAnnotation(JsonPropertyDescription.class);
            options.add(new Described(c.getName(), typeName(c), text(value(c, defaults)),
                    help == null ? "" : help.value()));
        }
        return options;
    }

    /** The option names of {@code defaults}' record, in declaration order. */
    public static List<String> names(Record defaults) {
        return components(defaults).stream().map(RecordComponent::getName).toList();
    }

    /**
     * {@code base} with the options {@code given} (a JSON object; null or empty: none) set, validated by
     * the record's constructor.
     *
     * @throws IllegalArgumentException for an option the record does not have, a value of the wrong
     *     kind, or one its constructor refuses
     */
    public static <T extends Record> T read(T base, JsonNode given) {
        Objects.requireNonNull(base, "base");
        List<RecordComponent> components = components(base);
        Object[] values = new Object[components.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = value(components.get(i), base);
        }
        if (given != null && !given.isNull()) {
            if (!given.isObject()) {
                throw new IllegalArgumentException("options must be an object of name: value, got " + given);
            }
            Iterator<Map.Entry<String, JsonNode>> fields = given.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                int i = indexOf(components, field.getKey(), base);
                values[i] = fromJson(components.get(i), field.getValue());
            }
        }
        return construct(base, components, values);
    }

    /**
     * The options of {@code name=value} assignments as JSON, each value read as its option's type
     * (a list as comma-separated values, brackets optional).
     */
    public static ObjectNode parse(Record defaults, List<String> assignments) {
        List<RecordComponent> components = components(defaults);
        ObjectNode out = NODES.objectNode();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("'" + assignment.trim() + "' is not NAME=VALUE with NAME one of "
                        + String.join(", ", names(defaults)));
            }
            String name = assignment.substring(0, eq).trim();
            RecordComponent c = components.get(indexOf(components, name, defaults));
            out.set(c.getName(), fromText(c, assignment.substring(eq + 1).trim()));
        }
        return out;
    }

    /** Splits {@code "a=1,b=2,3"} into {@code "a=1"} and {@code "b=2,3"}: only a comma before a name= splits. */
    public static List<String> splitAssignments(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return List.of(ASSIGNMENT_SEPARATOR.split(text.trim()));
    }

    /** Every option of {@code options} as a JSON object, in declaration order. */
    public static ObjectNode toJson(Record options) {
        ObjectNode out = NODES.objectNode();
        for (RecordComponent c : components(options)) {
            out.set(c.getName(), Jsons.MAPPER.valueToTree(value(c, options)));
        }
        return out;
    }

    /** The options of {@code options} that differ from {@code defaults}, as {@code "a=1,b=2"}; "" when none. */
    public static String changedText(Record options, Record defaults) {
        if (options.getClass() != defaults.getClass()) {
            throw new IllegalArgumentException(options + " and " + defaults + " are options of different parts");
        }
        List<String> changed = new ArrayList<>();
        for (RecordComponent c : components(options)) {
            Object value = value(c, options);
            if (!Objects.equals(value, value(c, defaults))) {
                changed.add(c.getName() + "=" + text(value));
            }
        }
        return String.join(",", changed);
    }

    private static List<RecordComponent> components(Record record) {
        return List.of(record.getClass().getRecordComponents());
    }

    private static int indexOf(List<RecordComponent> components, String name, Record defaults) {
        for (int i = 0; i < components.size(); i++) {
            if (components.get(i).getName().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown '" + name + "'; choose from " + String.join(", ", names(defaults)));
    }

    private static Object value(RecordComponent c, Record record) {
        try {
            Method accessor = c.getAccessor();
            accessor.setAccessible(true); // a part's options record need not be public
            return accessor.invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read option " + c.getName() + " of " + record.getClass(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Record> T construct(T base, List<RecordComponent> components, Object[] values) {
        Class<?>[] types = components.stream().map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            Constructor<?> constructor = base.getClass().getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return (T) constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw bad;
            }
            throw new IllegalStateException("options " + base.getClass().getSimpleName() + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("options record " + base.getClass() + " cannot be made", e);
        }
    }

    private static String typeName(RecordComponent c) {
        Class<?> type = c.getType();
        if (type == int.class || type == long.class) {
            return "INT";
        }
        if (type == double.class) {
            return "NUMBER";
        }
        if (type == boolean.class) {
            return "true|false";
        }
        if (type == List.class) {
            return elementType(c) == Integer.class ? "INT,INT,..." : "NUMBER,NUMBER,...";
        }
        return "TEXT";
    }

    private static Class<?> elementType(RecordComponent c) {
        Type generic = c.getGenericType();
        if (generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> element
                && (element == Integer.class || element == Double.class)) {
            return element;
        }
        throw new IllegalStateException("option " + c.getName() + ": only lists of Integer or Double are supported");
    }

    private static Object fromJson(RecordComponent c, JsonNode node) {
        Class<?> type = c.getType();
        String name = c.getName();
        if (type == List.class) {
            if (!node.isArray()) {
                throw new IllegalArgumentException(name + " must be a list, got " + node);
            }
            Class<?> element = elementType(c);
            List<Object> list = new ArrayList<>();
            for (JsonNode e : node) {
                if (element == Integer.class) { // no ?: here: it would widen every int to a double
                    list.add(intFrom(name, e));
                } else {
                    list.add(doubleFrom(name, e));
                }
            }
            return List.copyOf(list);
        }
        if (type == int.class) {
            return intFrom(name, node);
        }
        if (type == long.class) {
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw new IllegalArgumentException(name + " must be a whole number, got " + node);
            }
            return node.longValue();
        }
        if (type == double.class) {
            return doubleFrom(name, node);
        }
        if (type == boolean.class) {
            if (!node.isBoolean()) {
                throw new IllegalArgumentException(name + " must be true or false, got " + node);
            }
            return node.booleanValue();
        }
        if (type == String.class) {
            if (!node.isTextual()) {
                throw new IllegalArgumentException(name + " must be text, got " + node);
            }
            return node.textValue();
        }
        throw new IllegalStateException("option " + name + " has an unsupported type " + type);
    }

    private static int intFrom(String name, JsonNode node) {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IllegalArgumentException(name + " must be a whole number, got " + node);
        }
        return node.intValue();
    }

    private static double doubleFrom(String name, JsonNode node) {
        if (!node.isNumber()) {
            throw new IllegalArgumentException(name + " must be a number, got " + node);
        }
        return node.doubleValue();
    }

    private static JsonNode fromText(RecordComponent c, String text) {
        Class<?> type = c.getType();
        String name = c.getName();
        if (type == List.class) {
            String inner = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
            ArrayNode list = NODES.arrayNode();
            boolean ints = elementType(c) == Integer.class;
            for (String part : inner.split(",", -1)) {
                list.add(ints ? NODES.numberNode(parseInt(name, part.trim()))
                        : NODES.numberNode(parseDouble(name, part.trim())));
            }
            return list;
        }
        if (type == int.class) {
            return NODES.numberNode(parseInt(name, text));
        }
        if (type == long.class) {
            try {
                return NODES.numberNode(Long.parseLong(text));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number, got '" + text + "'");
            }
        }
        if (type == double.class) {
            return NODES.numberNode(parseDouble(name, text));
        }
        if (type == boolean.class) {
            String lower = text.toLowerCase(Locale.ROOT);
            if (!lower.equals("true") && !lower.equals("false")) {
                throw new IllegalArgumentException(name + " must be true or false, got '" + text + "'");
            }
            return NODES.booleanNode(lower.equals("true"));
        }
        return NODES.textNode(text);
    }

    private static int parseInt(String name, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + text + "'");
        }
    }

    private static double parseDouble(String name, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + text + "'");
        }
    }

    /** How a value is written in help and in specs: lists as comma-separated values. */
    private static String text(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }
}
