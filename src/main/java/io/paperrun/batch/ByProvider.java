package io.paperrun.batch;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The implementations of a stage's source interface, one per provider (csv, shopify, klaviyo...). */
public final class ByProvider<F> {

    private final String kind;
    private final Map<String, F> byProvider;

    /** @param kind what they are, as an error names them ("order source") */
    public ByProvider(String kind, List<F> implementations, Function<F, String> provider) {
        this.kind = kind;
        this.byProvider = implementations.stream().collect(Collectors.toMap(provider, Function.identity()));
    }

    /** The implementation for {@code provider}; refused, naming those there are, when this version has none. */
    public F get(String provider) {
        F implementation = byProvider.get(provider);
        if (implementation == null) {
            throw new IllegalStateException("no " + kind + " '" + provider + "' in this version; there are: "
                    + String.join(", ", byProvider.keySet().stream().sorted().toList()));
        }
        return implementation;
    }
}
