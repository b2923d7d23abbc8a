package io.paperrun.experiment;

import java.util.Arrays;
import java.util.Optional;

/** Which attributed orders an experiment counts (attribution-rules.md, "Experiment analysis"). */
public enum ExperimentMetric {
    /** Every passing attribution. */
    ALL_ORDERS("all_orders"),
    /** Only passing attributions with {@code order_count = 1}. */
    FIRST_ORDER("first_order");

    private final String code;

    ExperimentMetric(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<ExperimentMetric> of(String code) {
        return Arrays.stream(values()).filter(m -> m.code.equals(code)).findFirst();
    }
}
