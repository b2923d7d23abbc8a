-- Stage B's queue: the attributions waiting to be decided (processed = false), kept by the
-- database itself, one row per attribution, so that deciding an attribution no longer changes
-- anything an index of attribution covers.
--
-- Why: an UPDATE that changes an indexed column, or a column of a partial index's predicate,
-- cannot be a HOT update: it writes a new entry into every index of the table. Stage B's update
-- (processed, passes_rules, order_count, archived) changed the predicate of the old partial
-- index "WHERE NOT processed", so each decision cost a new heap tuple on another page plus three
-- index insertions. Measured on the 1,000,000-order benchmark database: updating its 408,220
-- attributions took 8.0 s; with no index on those columns and room on each page, 1.4 s (407,947
-- of the 408,220 updates HOT).
--
-- The queue replaces the partial index. Statement-level triggers keep it exactly in step with
-- attribution.processed, whatever statement changes it (sync, re-run, requeue, apply, stage B):
-- an attribution written or set back with processed = false is queued, one decided or deleted
-- leaves the queue. One set-based statement per trigger and statement, not a trigger per row.
CREATE TABLE attribution_pending (
    attribution_id         bigint PRIMARY KEY,
    organization_id        bigint NOT NULL,
    holdout                boolean NOT NULL
);

-- New attributions waiting for stage B are queued (a new id cannot be in the queue yet).
CREATE FUNCTION attribution_pending_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO attribution_pending (attribution_id, organization_id, holdout)
    SELECT w.id, w.organization_id, w.holdout FROM written w WHERE NOT w.processed;
    RETURN NULL;
END $$;

-- Updated attributions: the decided ones leave the queue by their ids, the undecided ones are
-- queued or keep their place with their current organization and holdout flag. Planned for each
-- call (a plan cached while the queue was nearly empty scanned it whole once it held 400,000 ids).
CREATE FUNCTION attribution_pending_after_update() RETURNS trigger LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan AS $$
BEGIN
    IF EXISTS (SELECT FROM written w WHERE w.processed) THEN
        DELETE FROM attribution_pending
        WHERE attribution_id = ANY (ARRAY(SELECT w.id FROM written w WHERE w.processed));
    END IF;
    IF EXISTS (SELECT FROM written w WHERE NOT w.processed) THEN
        INSERT INTO attribution_pending (attribution_id, organization_id, holdout)
        SELECT w.id, w.organization_id, w.holdout FROM written w WHERE NOT w.processed
        ON CONFLICT (attribution_id) DO UPDATE
            SET organization_id = EXCLUDED.organization_id, holdout = EXCLUDED.holdout;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION attribution_pending_after_delete() RETURNS trigger LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan AS $$
BEGIN
    DELETE FROM attribution_pending WHERE attribution_id = ANY (ARRAY(SELECT d.id FROM deleted d));
    RETURN NULL;
END $$;

-- A trigger with transition tables has one event (PostgreSQL's rule), hence three. An INSERT ...
-- ON CONFLICT DO UPDATE hands its inserted rows to the first and its updated rows to the second.
CREATE TRIGGER attribution_pending_insert AFTER INSERT ON attribution
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION attribution_pending_after_insert();
CREATE TRIGGER attribution_pending_update AFTER UPDATE ON attribution
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION attribution_pending_after_update();
CREATE TRIGGER attribution_pending_delete AFTER DELETE ON attribution
    REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION attribution_pending_after_delete();

INSERT INTO attribution_pending (attribution_id, organization_id, holdout)
SELECT id, organization_id, holdout FROM attribution WHERE NOT processed;
DROP INDEX attribution_unprocessed_idx;

-- Room for a second version of every row on its page, so that stage B's update of a page's
-- attributions (the ids of a chunk are contiguous) stays on the page. Applies to pages written
-- from now on.
ALTER TABLE attribution SET (fillfactor = 50);

-- A recipient's attributions are only ever looked up by recipient (stage B's history, the
-- requeue of a recipient's later attributions): a hash index serves that, is a fraction of the
-- size of the btree on (recipient, campaign, order time, order) it replaces, and costs less to
-- keep, recipient ids arriving in random order (the benchmark's 408,220 attributions inserted in
-- chunks of 2,000 from two sessions: 3.3 s with that btree, 2.9 s with the hash index).
DROP INDEX attribution_recipient_idx;
CREATE INDEX attribution_recipient_idx ON attribution USING hash (recipient_id);
