package io.paperrun.campaign;

import io.paperrun.batch.Excerpt;
import io.paperrun.batch.StorableValues;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.MessageInterpolator;
import jakarta.validation.Path.Node;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.hibernate.validator.HibernateValidator;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.PropertyNamingStrategy;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Binds a YAML file to records (fields in snake_case) and checks them with Bean Validation, collecting every
 * problem at its field path instead of stopping at the first. Scalars are strict: a boolean is true or false,
 * dates and instants are ISO-8601 within the years the database stores, an enum is one of its constants.
 */
final class YamlBinding {

    /** A problem at a path of field names and list indexes; the message reads after "path: ". */
    record Problem(List<Object> path, String message) {}

    /** The bound value (null if the file could not be bound at all) and every problem found in the file. */
    record Bound<T>(T value, List<Problem> problems) {}

    private static final PropertyNamingStrategy NAMES = PropertyNamingStrategies.SNAKE_CASE;
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .propertyNamingStrategy(NAMES)
            // Unknown fields are refused: the collector names each one, with the fields expected there.
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .addModule(new SimpleModule("strict-scalars")
                    .addDeserializer(String.class, scalar(String.class, null, text -> text, text -> true))
                    .addDeserializer(Boolean.class, new TrueOrFalse())
                    .addDeserializer(boolean.class, new TrueOrFalse())
                    .addDeserializer(
                            BigDecimal.class,
                            scalar(
                                    BigDecimal.class,
                                    "is not a number",
                                    text -> new BigDecimal(text.trim()).stripTrailingZeros(),
                                    number -> true))
                    .addDeserializer(
                            LocalDate.class,
                            scalar(
                                    LocalDate.class,
                                    "is not a date (YYYY-MM-DD)",
                                    text -> LocalDate.parse(text.trim()),
                                    StorableValues::date))
                    .addDeserializer(
                            Instant.class,
                            scalar(
                                    Instant.class,
                                    "is not an ISO-8601 instant with offset (e.g. 2024-01-02T00:00:00Z)",
                                    text -> StorableValues.asStored(
                                            OffsetDateTime.parse(text.trim()).toInstant()),
                                    StorableValues::instant))
                    .setDeserializerModifier(new ValueDeserializerModifier() {
                        @Override
                        @SuppressWarnings({"unchecked", "rawtypes"})
                        public ValueDeserializer<?> modifyEnumDeserializer(
                                DeserializationConfig config,
                                JavaType type,
                                BeanDescription.Supplier description,
                                ValueDeserializer<?> deserializer) {
                            return constant((Class) type.getRawClass());
                        }
                    }))
            .build();

    private YamlBinding() {}

    /** A bound record's fields as text by their file names (enums as written), leaving out those not given. */
    static Map<String, String> asText(Record record) {
        Map<String, String> out = new TreeMap<>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (value != null) {
                out.put(
                        NAMES.nameForField(null, null, component.getName()),
                        value instanceof Enum<?> constant
                                ? constant.name().toLowerCase(Locale.ROOT)
                                : value.toString());
            }
        }
        return out;
    }

    /**
     * Reads {@code file} as a {@code type}: a YAML syntax error is the only problem then; otherwise every binding
     * problem, and every constraint violation at a field that bound.
     *
     * @param topLevel what the document must be, for the message when it is not a mapping
     */
    static <T> Bound<T> read(Path file, Class<T> type, String topLevel) throws IOException {
        Collector collector = new Collector();
        ObjectReader reader = MAPPER.readerFor(type).withHandler(collector);
        T value = null;
        try (JsonParser parser = reader.createParser(file)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return refused("the file is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                return refused("the top level must be " + topLevel);
            }
            value = reader.readValue(parser);
            if (parser.nextToken() != null) {
                collector.problems.add(new Problem(
                        List.of(),
                        "a second YAML document starts at line "
                                + parser.currentLocation().getLineNr() + "; the file must hold one"));
            }
        } catch (JacksonIOException e) {
            throw e.getCause();
        } catch (DatabindException e) {
            // A problem the collector is not told of: said as Jackson says it, where Jackson says it is.
            collector.problems.add(new Problem(
                    e.getPath().stream()
                            .map(r -> r.getPropertyName() != null ? r.getPropertyName() : (Object) r.getIndex())
                            .toList(),
                    e.getOriginalMessage()));
        } catch (JacksonException e) {
            return refused(syntaxProblem(e));
        }
        List<Problem> binding = List.copyOf(collector.problems);
        List<Problem> problems = new ArrayList<>(binding);
        if (value != null) {
            Validators.VALIDATOR.validate(value).stream()
                    .map(v -> new Problem(path(v), v.getMessage()))
                    .filter(v -> binding.stream().noneMatch(p -> p.path().equals(v.path())))
                    .sorted(Comparator.comparing((Problem p) -> p.path().toString())
                            .thenComparing(Problem::message))
                    .distinct()
                    .forEach(problems::add);
        }
        return new Bound<>(value, problems);
    }

    private static <T> Bound<T> refused(String problem) {
        return new Bound<>(null, List.of(new Problem(List.of(), problem)));
    }

    /**
     * The YAML parser's complaint in one line, with where it is: its message quotes the source and points at
     * it over several lines ("while parsing a flow node / in reader, line 2, column 1: / ... / ^ / expected ...").
     */
    static String syntaxProblem(JacksonException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        List<String> said = message.lines()
                .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .map(String::strip)
                .toList();
        var at = e.getLocation();
        String where = at == null || at.getLineNr() < 1
                ? ""
                : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return "not valid YAML" + where + ": " + String.join("; ", said.isEmpty() ? List.of(message.strip()) : said);
    }

    /** Where a violation is: record components by their YAML names, list elements by index. */
    private static List<Object> path(ConstraintViolation<?> violation) {
        List<Object> path = new ArrayList<>();
        for (Node node : violation.getPropertyPath()) {
            if (node.getIndex() != null) {
                path.add(node.getIndex());
            }
            if (node.getKind() == ElementKind.PROPERTY) {
                path.add(node.getName());
            }
        }
        return path;
    }

    /** Where the parser is: the field or list element whose value it is reading. */
    private static List<Object> path(JsonParser parser) {
        TokenStreamContext context = parser.streamReadContext();
        if (parser.currentToken() != null && parser.currentToken().isStructStart()) {
            context = context.getParent();
        }
        LinkedList<Object> path = new LinkedList<>();
        for (; context != null && !context.inRoot(); context = context.getParent()) {
            path.addFirst(context.inArray() ? context.getCurrentIndex() : context.currentName());
        }
        return path;
    }

    /**
     * Where a record's field is. Its unknown fields may be buffered and replayed once the record is built, with
     * {@code p} then reading the buffer: the record is where the file's parser is, at its end or its next field.
     */
    private static List<Object> fieldPath(DeserializationContext ctxt, JsonParser p, String name) {
        JsonParser file = ctxt.getParser();
        if (p == file) {
            return path(p);
        }
        List<Object> path = new ArrayList<>(path(file));
        if (file.currentToken() == JsonToken.PROPERTY_NAME) {
            path.remove(path.size() - 1);
        }
        path.add(name);
        return path;
    }

    /** Records each problem Jackson meets, with a fallback value (null, or false) so that binding goes on. */
    private static final class Collector extends DeserializationProblemHandler {
        private final List<Problem> problems = new ArrayList<>();

        @Override
        public boolean handleUnknownProperty(
                DeserializationContext ctxt,
                JsonParser p,
                ValueDeserializer<?> deserializer,
                Object beanOrClass,
                String propertyName) {
            List<String> known = deserializer.getKnownPropertyNames().stream()
                    .map(String::valueOf)
                    .sorted()
                    .toList();
            problems.add(new Problem(
                    fieldPath(ctxt, p, propertyName),
                    "unknown field (expected one of " + String.join(", ", known) + ")"));
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleWeirdStringValue(
                DeserializationContext ctxt, Class<?> targetType, String value, String failureMsg) {
            problems.add(new Problem(path(ctxt.getParser()), Excerpt.quote(value) + " " + failureMsg));
            return null;
        }

        @Override
        public Object handleUnexpectedToken(
                DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p, String failureMsg) {
            problems.add(new Problem(
                    path(p),
                    targetType.isTypeOrSubTypeOf(Boolean.class) || targetType.hasRawClass(boolean.class)
                            ? "must be true or false"
                            : targetType.isCollectionLikeType()
                                    ? "must be a list"
                                    : targetType.isRecordType() ? "must be a mapping" : "must be a single value"));
            p.skipChildren();
            return null;
        }

        @Override
        public Object handleMissingInstantiator(
                DeserializationContext ctxt,
                Class<?> instClass,
                ValueInstantiator valueInsts,
                JsonParser p,
                String msg) {
            problems.add(new Problem(path(p), "must be a mapping"));
            p.skipChildren();
            return null;
        }
    }

    /**
     * A value written as one YAML scalar and parsed from its text: {@code expected} says what it must be when it
     * does not parse; {@code withinYears} whether the database stores it.
     */
    private static <T> ValueDeserializer<T> scalar(
            Class<T> type, String expected, Function<String, T> parse, Predicate<T> withinYears) {
        return new StdScalarDeserializer<>(type) {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) {
                if (!p.currentToken().isScalarValue()) {
                    return type.cast(ctxt.handleUnexpectedToken(type, p));
                }
                String text = p.getString();
                T value;
                try {
                    value = parse.apply(text);
                } catch (RuntimeException e) {
                    return type.cast(ctxt.handleWeirdStringValue(type, text, expected));
                }
                return withinYears.test(value)
                        ? value
                        : type.cast(ctxt.handleWeirdStringValue(type, text, "is outside " + StorableValues.YEARS));
            }
        };
    }

    /** An enum constant by its name in any case, e.g. {@code active} or {@code first_purchase}. */
    private static <E extends Enum<E>> ValueDeserializer<E> constant(Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .toList();
        String choices = String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        return scalar(
                type,
                "is not one of " + choices,
                text -> Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT)),
                constant -> true);
    }

    /** Only YAML's true and false; a missing or null value is false. */
    private static final class TrueOrFalse extends StdScalarDeserializer<Boolean> {
        TrueOrFalse() {
            super(Boolean.class);
        }

        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() == JsonToken.VALUE_TRUE || p.currentToken() == JsonToken.VALUE_FALSE) {
                return p.currentToken() == JsonToken.VALUE_TRUE;
            }
            ctxt.handleUnexpectedToken(Boolean.class, p);
            return false;
        }

        @Override
        public Boolean getNullValue(DeserializationContext ctxt) {
            return false;
        }
    }

    /** Built when first needed: most commands read no YAML file. */
    private static final class Validators {
        /** Paths name fields as the file does; messages are the constraints' own, "{value}" quoted as above. */
        static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class)
                .configure()
                .propertyNodeNameProvider(property -> NAMES.nameForField(null, null, property.getName()))
                .messageInterpolator(new ValueInterpolator())
                .buildValidatorFactory()
                .getValidator();
    }

    /** A constraint's message with {@code {value}} replaced by the value, quoted as binding problems quote it. */
    private static final class ValueInterpolator implements MessageInterpolator {
        @Override
        public String interpolate(String template, Context context) {
            if (!template.contains("{value}")) {
                return template;
            }
            Object value = context.getValidatedValue();
            return template.replace(
                    "{value}",
                    value instanceof BigDecimal number ? number.toPlainString() : Excerpt.quote(String.valueOf(value)));
        }

        @Override
        public String interpolate(String template, Context context, Locale locale) {
            return interpolate(template, context);
        }
    }
}
