-- attribution-rerun decides only what it re-attributes: the orders of its range and the decided
-- attributions that depend on them. Its writers record those dependents with its job instance, so
-- that its requeue step queues (and adds to its selection, attribution_rerun_order) only its own;
-- order-sync's writers record theirs without one. attribution-processing and order-sync apply every
-- record of their organization, a re-run's left behind included.
ALTER TABLE attribution_requeue ADD COLUMN rerun_instance_id bigint;
