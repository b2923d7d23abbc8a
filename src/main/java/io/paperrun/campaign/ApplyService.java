package io.paperrun.campaign;

import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Applies an apply file: all of it in one transaction, or nothing. */
@Service
public class ApplyService {

    private final OrganizationRepository organizations;
    private final CampaignRepository campaigns;
    private final JdbcClient jdbc;

    public ApplyService(OrganizationRepository organizations, CampaignRepository campaigns, JdbcClient jdbc) {
        this.organizations = organizations;
        this.campaigns = campaigns;
        this.jdbc = jdbc;
    }

    /** One line per organization and campaign: what happened to it. */
    public record Change(String kind, String name, String outcome) {
        @Override
        public String toString() {
            return kind + " " + name + ": " + outcome;
        }
    }

    /** A campaign cannot be applied: its organization is neither in the file nor stored, or its printer cannot take it. */
    public static final class CampaignRefusedException extends RuntimeException {
        public CampaignRefusedException(String message) {
            super(message);
        }
    }

    @Transactional
    public List<Change> apply(ApplyFile file) {
        List<Change> changes = new ArrayList<>();
        Map<String, Long> orgIds = new HashMap<>();
        for (ApplyFile.OrganizationSpec spec : file.organizations()) {
            String outcome = organizations.upsert(spec.toOrganization());
            orgIds.put(
                    spec.slug(),
                    organizations.findBySlug(spec.slug()).orElseThrow().id());
            changes.add(new Change("organization", spec.slug(), outcome));
        }
        for (int i = 0; i < file.campaigns().size(); i++) {
            ApplyFile.CampaignSpec spec = file.campaigns().get(i);
            Long orgId = orgIds.get(spec.organization());
            if (orgId == null) {
                orgId = organizations
                        .findBySlug(spec.organization())
                        .map(Organization::id)
                        .orElseThrow(() -> new CampaignRefusedException(
                                "campaigns[" + file.campaigns().indexOf(spec)
                                        + "] (" + spec.key() + ").organization: '" + spec.organization()
                                        + "' is neither declared in this file nor known"));
            }
            Campaign declared = file.campaign(i, orgId);
            Organization organization =
                    organizations.findBySlug(spec.organization()).orElseThrow();
            PostcardDesigns.printerProblem(declared, organization.integrations())
                    .ifPresent(problem -> {
                        throw new CampaignRefusedException(
                                "campaigns[" + file.campaigns().indexOf(spec) + "] (" + spec.key() + ")." + problem);
                    });
            Optional<Campaign> before = campaigns.find(orgId, declared.key());
            String outcome = campaigns.upsert(declared);
            if (before.isPresent() && before.get().processingSettingsDiffer(declared)) {
                // Stage B depends on these settings: decide this campaign's attributions again.
                int requeued = jdbc.sql("UPDATE attribution SET processed = false, updated_at = now() "
                                + "WHERE campaign_id = ? AND processed")
                        .param(before.get().id())
                        .update();
                if (requeued > 0) {
                    outcome += " (" + requeued + " attributions queued for processing)";
                }
            }
            changes.add(new Change("campaign", spec.organization() + "/" + declared.key(), outcome));
        }
        return changes;
    }
}
