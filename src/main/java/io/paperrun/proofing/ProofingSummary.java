package io.paperrun.proofing;

import io.paperrun.campaign.Campaign;
import io.paperrun.campaign.CampaignRepository;
import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * What a proofing run says it did: a line of totals, then a line per campaign it proofed or whose recipients wait
 * for address-enrichment (proofed, failed, waiting, codes left in its pool), how many wait in all, and a warning for
 * each pool with fewer than {@link #LOW_POOL} codes left (also logged at WARN).
 */
@Component
public class ProofingSummary {

    /** A pool with fewer codes left than this is reported. */
    public static final long LOW_POOL = 100;

    private static final Logger log = LoggerFactory.getLogger(ProofingSummary.class);

    private final ProofingRepository recipients;
    private final DiscountCodePool pool;
    private final CampaignRepository campaigns;
    private final OrganizationRepository organizations;

    public ProofingSummary(
            ProofingRepository recipients,
            DiscountCodePool pool,
            CampaignRepository campaigns,
            OrganizationRepository organizations) {
        this.recipients = recipients;
        this.pool = pool;
        this.campaigns = campaigns;
        this.organizations = organizations;
    }

    /** The lines, for a run of {@code org} and {@code campaign} (null: all) whose partitions are {@code partitions}. */
    public String lines(String org, String campaign, Collection<StepExecution> partitions) {
        Map<Long, ProofingCounts> proofed = new LinkedHashMap<>();
        partitions.stream()
                .sorted((a, b) -> a.getStepName().compareTo(b.getStepName()))
                .forEach(p -> proofed.put(
                        p.getExecutionContext().getLong(ProofingJobConfig.CAMPAIGN),
                        ProofingCounts.of(List.of(p.getExecutionContext()))));
        Map<Long, Long> waiting = new LinkedHashMap<>();
        recipients.waitingForEnrichment(org, campaign).forEach(w -> waiting.put(w.campaignId(), w.recipients()));
        List<Long> reported = new ArrayList<>(proofed.keySet());
        waiting.keySet().stream().filter(id -> !proofed.containsKey(id)).forEach(reported::add);

        ProofingCounts total = ProofingCounts.of(
                partitions.stream().map(StepExecution::getExecutionContext).toList());
        StringBuilder lines = new StringBuilder("proofs: ").append(total).append('\n');
        if (total.get("proofed") + total.get("failed") > 0) {
            lines.append("  time: ").append(total.times()).append('\n');
        }
        List<String> lowPools = new ArrayList<>();
        for (long id : reported) {
            Campaign c = campaigns.findById(id).orElse(null);
            if (c == null) {
                continue;
            }
            String name = organizations
                            .findById(c.organizationId())
                            .map(Organization::slug)
                            .orElse("?") + "/" + c.key();
            ProofingCounts counts = proofed.getOrDefault(id, new ProofingCounts());
            lines.append("  ").append(name).append(": ").append(counts);
            lines.append(", ").append(waiting.getOrDefault(id, 0L)).append(" waiting for address-enrichment");
            if (UniqueCodeAssignment.drawsFromPool(c)) {
                long left = pool.left(id);
                lines.append(", ").append(left).append(" unique codes left in the pool");
                if (left < LOW_POOL) {
                    log.warn("campaign {}: {} unique codes left in the pool (fewer than {})", name, left, LOW_POOL);
                    lowPools.add("campaign " + name + ": " + left + " unique codes left in the pool (fewer than "
                            + LOW_POOL + ")");
                }
            }
            lines.append('\n');
        }
        long allWaiting = waiting.values().stream().mapToLong(Long::longValue).sum();
        if (allWaiting > 0) {
            lines.append(allWaiting)
                    .append(allWaiting == 1 ? " pending recipient waits" : " pending recipients wait")
                    .append(" for address-enrichment\n");
        }
        lowPools.forEach(line -> lines.append(line).append('\n'));
        return lines.toString();
    }
}
