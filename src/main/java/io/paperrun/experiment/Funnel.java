package io.paperrun.experiment;

import java.util.List;

/**
 * A campaign's recipients by stage, in the pipeline's order: {@code audience} (every recipient), then
 * {@code suppressed} and {@code undeliverable} (each by reason), {@code holdout}, {@code pending}, {@code proofed},
 * {@code sending}, {@code sent}, {@code delivered} and {@code returned} (both among the sent), {@code failed},
 * {@code cancelled}. Stages with no recipient are left out, but for audience.
 */
public record Funnel(List<Stage> stages) {

    /** One stage; {@code reason} is set only for suppressed and undeliverable recipients. */
    public record Stage(String stage, String reason, long recipients) {}

    public long count(String stage) {
        return stages.stream()
                .filter(s -> s.stage().equals(stage))
                .mapToLong(Stage::recipients)
                .sum();
    }
}
