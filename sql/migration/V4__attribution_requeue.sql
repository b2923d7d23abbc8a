-- Attributions to queue again for stage B, recorded by order-sync's partitions and applied
-- by its requeue step (and by attribution-processing, before it decides anything): when an
-- attribution changes, the same recipient's attributions in the campaign from that order
-- time on depend on it (repeat-order rule, order_count). Partitions only append here, so
-- they never wait on each other's rows; a chunk that rolls back takes its rows with it.
CREATE TABLE attribution_requeue (
    organization_id        bigint NOT NULL,
    recipient_id           bigint NOT NULL,
    campaign_id            bigint NOT NULL,
    from_time              timestamptz NOT NULL,
    recorded_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attribution_requeue_org_idx ON attribution_requeue (organization_id);
