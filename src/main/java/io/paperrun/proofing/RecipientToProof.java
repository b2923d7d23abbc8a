package io.paperrun.proofing;

import io.paperrun.campaign.PostcardTemplate;
import java.util.HashMap;
import java.util.Map;

/**
 * A recipient to proof, as the reader hands it over: its id, status and whether it holds a discount code. Its merge
 * fields are read again once its code is assigned ({@link ProofingRepository#take}).
 */
public record RecipientToProof(long id, String status, boolean hasDiscountCode) {

    /**
     * A taken recipient's merge fields: its columns as {@link PostcardTemplate#RECIPIENT_FIELDS} names them, absent
     * values left out, and the code its proof shows (its own, else the campaign's).
     */
    public record Fields(long id, Map<String, String> values, String discountCode) {

        public Fields {
            values = Map.copyOf(withoutNulls(values));
        }

        private static Map<String, String> withoutNulls(Map<String, String> values) {
            Map<String, String> kept = new HashMap<>();
            values.forEach((name, value) -> {
                if (value != null) {
                    kept.put(name, value);
                }
            });
            return kept;
        }
    }
}
