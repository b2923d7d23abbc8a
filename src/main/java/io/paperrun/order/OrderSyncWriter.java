package io.paperrun.order;

import io.paperrun.attribution.AttributionStore;
import io.paperrun.attribution.MatchResult;
import io.paperrun.attribution.OrderMatching;
import io.paperrun.attribution.OrganizationRules;
import io.paperrun.batch.ImportWriter;
import io.paperrun.batch.RejectedRows;
import io.paperrun.organization.Organization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.batch.core.step.StepExecution;

/**
 * Writes a chunk of synced orders in one transaction: stage A for the whole
 * chunk, the orders upserted with their internal/blacklisted flags, the
 * attributions stored (and the re-queueing of the ones they affect recorded),
 * the rejected rows recorded and the run's counts advanced, and with them a
 * provider's checkpoint.
 */
public class OrderSyncWriter extends ImportWriter<IncomingOrder> {

    private final Organization organization;
    private final String provider;
    private final OrderRepository orders;
    private final OrderMatching matching;
    private final AttributionStore attributions;
    private final OrderSyncCheckpoints checkpoints;

    /**
     * @param provider the order source's provider, stored with each order
     * @param location where the source reads, as rejected rows name it, asked when a row is rejected
     */
    public OrderSyncWriter(
            Organization organization,
            String provider,
            Supplier<String> location,
            OrderRepository orders,
            OrderMatching matching,
            AttributionStore attributions,
            OrderSyncCheckpoints checkpoints,
            RejectedRows rejectedRows) {
        super(location, rejectedRows, IncomingOrder::providerOrderId);
        this.organization = organization;
        this.provider = provider;
        this.orders = orders;
        this.matching = matching;
        this.attributions = attributions;
        this.checkpoints = checkpoints;
    }

    /** Whether the organization had a decided attribution when the step started ({@link AttributionStore#anyDecided}). */
    private boolean anyDecided = true;

    @Override
    public void beforeStep(StepExecution stepExecution) {
        super.beforeStep(stepExecution);
        anyDecided = attributions.anyDecided(organization.id());
    }

    @Override
    protected void writeAccepted(List<IncomingOrder> incoming, int lines, int rejected) {
        List<MatchResult> results = incoming.isEmpty()
                ? List.of()
                : matching.match(
                        organization.id(),
                        OrganizationRules.of(organization),
                        incoming.stream().map(IncomingOrder::facts).toList());
        List<StoredOrder> stored =
                incoming.isEmpty() ? List.of() : orders.upsert(organization.id(), provider, rows(incoming, results));
        List<AttributionStore.Matched> matches = matches(incoming, results, stored);
        if (!matches.isEmpty()) {
            // Partitions run side by side: the attributions these changes affect are queued again, and
            // the holdout ones decided, by the job's last steps, once every partition has committed.
            attributions.store(organization.id(), matches, anyDecided);
        }
        OrderSyncCheckpoints.ChunkCounts counts = counts(incoming, results, stored, lines, rejected);
        checkpoints.addChunk(jobExecutionId(), organization.id(), counts);
        if (!OrderSourceFactory.DEFAULT_PROVIDER.equals(provider) && counts.latestOrderTime() != null) {
            // A provider delivers its orders in the order of their checkpoint time: these are stored up to it.
            checkpoints.advance(organization.id(), provider, counts.latestOrderTime());
        }
    }

    /** The orders to store, with the flags stage A set on them. */
    private static List<OrderRepository.OrderRow> rows(List<IncomingOrder> incoming, List<MatchResult> results) {
        List<OrderRepository.OrderRow> rows = new ArrayList<>(incoming.size());
        for (int i = 0; i < incoming.size(); i++) {
            MatchResult r = results.get(i);
            rows.add(new OrderRepository.OrderRow(
                    incoming.get(i),
                    r.outcome() == MatchResult.Outcome.INTERNAL,
                    r.outcome() == MatchResult.Outcome.BLACKLISTED));
        }
        return rows;
    }

    private static List<AttributionStore.Matched> matches(
            List<IncomingOrder> incoming, List<MatchResult> results, List<StoredOrder> stored) {
        List<AttributionStore.Matched> matches = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            StoredOrder s = stored.get(i);
            IncomingOrder o = incoming.get(i);
            matches.add(new AttributionStore.Matched(
                    s.id(),
                    o.providerOrderId(),
                    o.orderedAt(),
                    o.total(),
                    results.get(i),
                    s.change() == StoredOrder.Change.NEW,
                    false));
        }
        return matches;
    }

    /** The chunk's counts for the run's checkpoint record, and its latest order's checkpoint time. */
    private static OrderSyncCheckpoints.ChunkCounts counts(
            List<IncomingOrder> incoming,
            List<MatchResult> results,
            List<StoredOrder> stored,
            int lines,
            int rejected) {
        long created = 0, updated = 0, matched = 0, internal = 0, blacklisted = 0;
        Instant latestTime = null;
        for (int i = 0; i < stored.size(); i++) {
            StoredOrder s = stored.get(i);
            MatchResult r = results.get(i);
            Instant changedAt = incoming.get(i).changedAt();
            created += s.change() == StoredOrder.Change.NEW ? 1 : 0;
            updated += s.change() == StoredOrder.Change.UPDATED ? 1 : 0;
            matched += r.isAttributed() ? 1 : 0;
            internal += r.outcome() == MatchResult.Outcome.INTERNAL ? 1 : 0;
            blacklisted += r.outcome() == MatchResult.Outcome.BLACKLISTED ? 1 : 0;
            if (latestTime == null || changedAt.isAfter(latestTime)) {
                latestTime = changedAt;
            }
        }
        return new OrderSyncCheckpoints.ChunkCounts(
                lines, created, updated, matched, internal, blacklisted, rejected, latestTime);
    }
}
