package io.paperrun.campaign;

import io.paperrun.campaign.PostcardSettings.Design;
import io.paperrun.campaign.PostcardSettings.UniqueCodes;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** A campaign's {@code unique_codes} and {@code postcard} columns: their records as JSON, and back. */
final class PostcardColumns {

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private PostcardColumns() {}

    static String uniqueCodes(UniqueCodes codes) {
        return codes == null ? null : JSON.writeValueAsString(codes);
    }

    static UniqueCodes uniqueCodes(String json) {
        return json == null ? null : JSON.readValue(json, UniqueCodes.class);
    }

    static String design(Design design) {
        return design == null ? null : JSON.writeValueAsString(design);
    }

    static Design design(String json) {
        return json == null ? null : JSON.readValue(json, Design.class);
    }
}
