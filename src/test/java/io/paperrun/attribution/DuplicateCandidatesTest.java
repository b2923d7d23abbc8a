package io.paperrun.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.ScenarioTest;
import org.junit.jupiter.api.Test;

/**
 * Stage A: "When several recipients qualify in a step, the most recently created wins (created_at descending,
 * then id descending); the others are counted on the attribution as duplicate candidates"
 * ({@code attribution.duplicate_candidates}).
 */
class DuplicateCandidatesTest extends ScenarioTest {

    @Test
    void theMostRecentlyCreatedQualifyingRecipientWinsAndTheOtherQualifyingOnesAreCounted() {
        apply("""
                organizations:
                  - slug: acme
                campaigns:
                  - {key: c1, organization: acme, status: active}
                  - {key: c2, organization: acme, status: active}
                  - {key: c3, organization: acme, status: active}
                """);
        importRecipients(
                "acme",
                "campaign,external_id,email,address1,city,zip,status,created_at,sent_at\n"
                        + "c1,d-1,dup@example.com,,,,sent,2024-01-01T00:00:00Z,2024-01-05T00:00:00Z\n"
                        + "c2,d-2,dup@example.com,,,,sent,2024-01-03T00:00:00Z,2024-01-05T00:00:00Z\n"
                        + "c3,d-3,dup@example.com,,,,sent,2024-01-02T00:00:00Z,2024-01-05T00:00:00Z\n"
                        // created last, but they do not qualify: sent after the order, or not sent
                        + "c1,d-4,dup@example.com,,,,sent,2024-01-04T00:00:00Z,2024-02-01T00:00:00Z\n"
                        + "c3,d-5,dup@example.com,,,,pending,2024-01-05T00:00:00Z,\n"
                        // created at the same instant: the higher id wins
                        + "c1,t-1,,7 Birch Lane,Town,40404,sent,2024-01-01T00:00:00Z,2024-01-05T00:00:00Z\n"
                        + "c2,t-2,,7 Birch Lane,Town,40404,sent,2024-01-01T00:00:00Z,2024-01-05T00:00:00Z\n"
                        + "c3,t-3,,7 Birch Lane,Town,40404,sent,2024-01-01T00:00:00Z,2024-01-05T00:00:00Z\n"
                        + "c1,s-1,single@example.com,,,,sent,2024-01-01T00:00:00Z,2024-01-05T00:00:00Z\n");
        String tieWinner = jdbc.sql(
                        "SELECT natural_key FROM recipient WHERE natural_key LIKE 't-%' " + "ORDER BY id DESC LIMIT 1")
                .query(String.class)
                .single();
        String tieWinnerCampaign = "c" + tieWinner.substring(2);

        importOrders(
                "acme",
                "order_id,created_at,email,total,shipping_address1,shipping_zip\n"
                        + "1,2024-01-20T00:00:00Z,dup@example.com,10.00,,\n"
                        + "2,2024-01-20T00:00:00Z,other@example.net,10.00,7 Birch Lane,40404\n"
                        + "3,2024-01-20T00:00:00Z,single@example.com,10.00,,\n");
        assertThat(attributions())
                .containsExactly(
                        "acme/1 -> acme/c2 d-2 email holdout=false dup=2",
                        "acme/2 -> acme/" + tieWinnerCampaign + " " + tieWinner
                                + " physical_address holdout=false dup=2",
                        "acme/3 -> acme/c1 s-1 email holdout=false dup=0");
    }
}
