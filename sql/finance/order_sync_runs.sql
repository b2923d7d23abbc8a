-- The last order-sync runs of an organization: where each started and ended,
-- and what it read, created, updated, matched and skipped.
SELECT r.job_execution_id, r.provider, r.checkpoint_before, r.checkpoint_after,
       r.orders_read, r.orders_new, r.orders_updated, r.orders_matched,
       r.orders_internal, r.orders_blacklisted, r.orders_skipped,
       r.started_at, r.finished_at, e.status
FROM order_sync_run r
JOIN organization g ON g.id = r.organization_id
LEFT JOIN batch_job_execution e ON e.job_execution_id = r.job_execution_id
WHERE g.slug = :'org'
ORDER BY r.job_execution_id DESC
LIMIT 20;
