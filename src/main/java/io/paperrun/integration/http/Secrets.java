package io.paperrun.integration.http;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Resolves the secrets an apply file references, {@code ${SHOPIFY_TOKEN}}, at run time: from the process's
 * environment (and, for tests, Spring's other property sources). The values are never stored.
 */
@Component
public class Secrets {

    private final Environment environment;

    public Secrets(Environment environment) {
        this.environment = environment;
    }

    /**
     * The secret {@code reference} names; a reference that is not one, or names a variable that is unset or
     * empty, is refused naming {@code setting} and the variable, never the value.
     */
    public Secret resolve(String setting, String reference) {
        SecretReference parsed;
        try {
            parsed = SecretReference.parse(reference);
        } catch (IllegalArgumentException notReference) {
            throw new IllegalStateException(setting + ": " + notReference.getMessage());
        }
        try {
            return parsed.resolve(name -> environment.getProperty(name));
        } catch (IllegalStateException unset) {
            throw new IllegalStateException(setting + ": " + unset.getMessage());
        }
    }
}
