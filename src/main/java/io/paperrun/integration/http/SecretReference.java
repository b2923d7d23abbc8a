package io.paperrun.integration.http;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A secret as an apply file names it, {@code ${SHOPIFY_TOKEN}}: the reference is what is stored,
 * the value is read from the environment at run time and never stored.
 */
public final class SecretReference {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final String variable;

    private SecretReference(String variable) {
        this.variable = variable;
    }

    /**
     * The reference written as {@code text}. Anything else, a literal key in particular, is refused
     * with a message that does not repeat the text.
     */
    public static SecretReference parse(String text) {
        Matcher matcher = REFERENCE.matcher(text == null ? "" : text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("a secret must be written as a reference to an environment variable,"
                    + " such as ${SHOPIFY_TOKEN}, not as the secret itself");
        }
        return new SecretReference(matcher.group(1));
    }

    /** The environment variable's name. */
    public String variable() {
        return variable;
    }

    /** The form to store in the database: the reference text, {@code ${VARIABLE}}. */
    public String storable() {
        return "${" + variable + "}";
    }

    /**
     * The secret the variable holds in {@code environment} (such as {@link System#getenv()});
     * a missing or blank variable is refused, naming the variable.
     */
    public Secret resolve(Map<String, String> environment) {
        return resolve(environment::get);
    }

    /** The secret the variable holds, as {@code lookup} gives variables' values; refused as above. */
    public Secret resolve(Function<String, String> lookup) {
        String value = lookup.apply(variable);
        if (value == null) {
            throw new IllegalStateException("environment variable " + variable + " is not set");
        }
        if (value.isBlank()) {
            throw new IllegalStateException("environment variable " + variable + " is empty");
        }
        return Secret.of(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SecretReference reference && reference.variable.equals(variable);
    }

    @Override
    public int hashCode() {
        return variable.hashCode();
    }

    @Override
    public String toString() {
        return storable();
    }
}
