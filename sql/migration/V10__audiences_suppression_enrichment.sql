-- Where a campaign's recipients come from (interface.md: audience {source, segment_id}),
-- and an organization's frequency cap (suppression.min_days_between_mailings).
ALTER TABLE campaign
    ADD COLUMN audience_source text NOT NULL DEFAULT 'csv' CHECK (audience_source IN ('csv','klaviyo')),
    ADD COLUMN audience_segment_id text;
ALTER TABLE organization
    ADD COLUMN min_days_between_mailings integer CHECK (min_days_between_mailings >= 0);

-- An organization's do-not-mail list: emails (trimmed, lower case), their SHA-256 in hex, and
-- address keys (the normaliser's), each once.
CREATE TABLE do_not_mail (
    id                     bigserial PRIMARY KEY,
    organization_id        bigint NOT NULL REFERENCES organization(id),
    kind                   text NOT NULL CHECK (kind IN ('email','email_sha256','address')),
    value                  text COLLATE "C" NOT NULL,
    created_at             timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, kind, value)
);

-- A recipient's address: where it came from, as it was received before normalisation, where
-- an append placed it, when it was enriched (once), and what verification said of it.
ALTER TABLE recipient
    ADD COLUMN address_source text NOT NULL DEFAULT 'import' CHECK (address_source IN ('import','klaviyo','faraday')),
    ADD COLUMN original_address jsonb,
    ADD COLUMN latitude double precision,
    ADD COLUMN longitude double precision,
    ADD COLUMN enriched_at timestamptz,
    ADD COLUMN deliverability text,
    ADD COLUMN joined_group_at timestamptz;
-- address-enrichment's work: the recipients not enriched yet, of the groups it enriches.
CREATE INDEX recipient_to_enrich_idx ON recipient (id)
    WHERE enriched_at IS NULL AND status IN ('pending','holdout');
-- A campaign's holdouts, counted against its absolute maximum as recipients are created.
CREATE INDEX recipient_holdout_idx ON recipient (campaign_id) WHERE status = 'holdout';
-- Suppression's lookups by address key and email among an organization's mailed or returned
-- pieces use recipient_email_idx and recipient_address_idx.

-- recipient-sync from a segment: per campaign, the newest joined_group_at synced, and what
-- each run did (as order_sync_checkpoint and order_sync_run for orders).
CREATE TABLE recipient_sync_checkpoint (
    campaign_id            bigint PRIMARY KEY REFERENCES campaign(id),
    last_joined_at         timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE recipient_sync_run (
    job_execution_id       bigint NOT NULL,
    campaign_id            bigint NOT NULL REFERENCES campaign(id),
    checkpoint_before      timestamptz,
    checkpoint_after       timestamptz,
    profiles_read          bigint NOT NULL DEFAULT 0,
    recipients_new         bigint NOT NULL DEFAULT 0,
    profiles_skipped       bigint NOT NULL DEFAULT 0,
    recipients_suppressed  bigint NOT NULL DEFAULT 0,
    recipients_held_out    bigint NOT NULL DEFAULT 0,
    started_at             timestamptz NOT NULL DEFAULT now(),
    finished_at            timestamptz,
    PRIMARY KEY (job_execution_id, campaign_id)
);
