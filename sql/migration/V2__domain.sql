-- PaperRun's domain: organizations, campaigns, recipients, orders, attributions,
-- rejected input rows and order-sync checkpoints. Natural keys carry unique
-- constraints so that every writer can upsert; the indexes are the lookups of
-- stage A (matching) and stage B (processing). Keys that are only ever compared
-- for equality (ids from providers, matching forms of emails, addresses and
-- codes) use the "C" collation: byte comparison, much cheaper to index than a
-- linguistic collation, and the same on every server.

CREATE TABLE organization (
    id                     bigserial PRIMARY KEY,
    slug                   text NOT NULL UNIQUE,
    name                   text,
    email_domain           text,
    sync_orders            boolean NOT NULL DEFAULT false,
    blacklist_code_substrings text[] NOT NULL DEFAULT '{}',
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE campaign (
    id                     bigserial PRIMARY KEY,
    organization_id        bigint NOT NULL REFERENCES organization(id),
    key                    text NOT NULL,
    name                   text,
    status                 text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending','active','paused','completed','archived','error')),
    start_date             date,
    end_date               date,
    first_send_date        timestamptz,          -- explicit; else the earliest sent_at of its recipients
    flow_trigger           text NOT NULL DEFAULT 'standard'
        CHECK (flow_trigger IN ('standard','first_purchase','bfcm')),
    discount_code          text,
    use_unique_discount    boolean NOT NULL DEFAULT false,
    holdout_enabled        boolean NOT NULL DEFAULT false,
    holdout_percentage     numeric(5,2),
    holdout_absolute_maximum integer,
    cost_per_piece         numeric(10,4),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, key)
);
CREATE INDEX campaign_code_idx ON campaign (organization_id, upper(btrim(discount_code)))
    WHERE discount_code IS NOT NULL;

CREATE TABLE recipient (
    id                     bigserial PRIMARY KEY,
    campaign_id            bigint NOT NULL REFERENCES campaign(id),
    organization_id        bigint NOT NULL REFERENCES organization(id),
    natural_key            text COLLATE "C" NOT NULL,        -- external_id, else 'email:'||email_lower, else 'address:'||address_key
    external_id            text,
    status                 text NOT NULL
        CHECK (status IN ('pending','proofing_staged','proofing','proofed','sending_staged','sending','sent',
                          'holdout','suppressed','undeliverable','failed','cancelled')),
    created_at             timestamptz NOT NULL,
    sent_at                timestamptz,
    email                  text,
    email_lower            text COLLATE "C",     -- lower(btrim(email)): the matching form
    first_name             text,
    last_name              text,
    address1               text,
    address2               text,
    city                   text,
    region                 text,
    zip                    text,
    country                text NOT NULL DEFAULT 'US',
    address_key            text COLLATE "C",
    discount_code          text,
    discount_code_upper    text COLLATE "C",     -- upper(btrim(discount_code))
    provider               text,
    provider_piece_id      text,
    idempotency_key        text,
    cost                   numeric(10,4),
    delivery_status        text,
    in_home_date           date,
    suppression_reason     text,
    updated_at             timestamptz NOT NULL DEFAULT now(),
    UNIQUE (campaign_id, natural_key)
);
-- Stage A: recipients by email and by address key within the organization (steps 1,
-- 2 and 4 filter on status; step 3b on the code's campaign), and by unique code.
CREATE INDEX recipient_email_idx ON recipient (organization_id, email_lower) WHERE email_lower IS NOT NULL;
CREATE INDEX recipient_address_idx ON recipient (organization_id, address_key) WHERE address_key IS NOT NULL;
CREATE INDEX recipient_code_idx ON recipient (organization_id, discount_code_upper)
    WHERE discount_code_upper IS NOT NULL;
-- A campaign's first send: min(sent_at) by campaign.
CREATE INDEX recipient_campaign_sent_idx ON recipient (campaign_id, sent_at) WHERE sent_at IS NOT NULL;

CREATE TABLE customer_order (
    id                     bigserial PRIMARY KEY,
    organization_id        bigint NOT NULL REFERENCES organization(id),
    provider               text COLLATE "C" NOT NULL, -- csv, shopify, klaviyo, ometria
    provider_order_id      text COLLATE "C" NOT NULL,
    ordered_at             timestamptz NOT NULL,
    email                  text,
    email_lower            text COLLATE "C",
    total                  numeric(14,2) NOT NULL,
    currency               text,
    discount_codes         text[] NOT NULL DEFAULT '{}',
    shipping_address1      text,
    shipping_address2      text,
    shipping_city          text,
    shipping_region        text,
    shipping_zip           text,
    shipping_country       text,
    address_key            text COLLATE "C",
    active_subscription_start timestamptz,
    internal               boolean NOT NULL DEFAULT false,
    blacklisted            boolean NOT NULL DEFAULT false,
    synced_at              timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, provider, provider_order_id)
);
-- Re-runs and exports select orders by time. A btree on order time cost as much as
-- the rest of an order's insert (orders arrive out of time order); a BRIN index is
-- nearly free to keep and serves syncs, whose orders arrive roughly in time order.
CREATE INDEX customer_order_time_idx ON customer_order USING brin (ordered_at);

-- One per order. Only the order is a foreign key: organization, campaign and
-- recipient are written by the transaction that has just read them, and checking
-- them again (a locking read of each) doubled the cost of an attribution insert.
CREATE TABLE attribution (
    id                     bigserial PRIMARY KEY,
    order_id               bigint NOT NULL UNIQUE REFERENCES customer_order(id),
    organization_id        bigint NOT NULL,
    campaign_id            bigint NOT NULL,
    recipient_id           bigint,
    method                 text NOT NULL CHECK (method IN ('email','physical_address','discount_code')),
    holdout                boolean NOT NULL DEFAULT false,
    ordered_at             timestamptz NOT NULL, -- the order's time and value, kept here for stage B
    order_value            numeric(14,2) NOT NULL,
    duplicate_candidates   integer NOT NULL DEFAULT 0,
    processed              boolean NOT NULL DEFAULT false,
    passes_rules           boolean,
    order_count            integer,
    archived               boolean NOT NULL DEFAULT false,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
-- Stage B: a recipient's attributions in a campaign, in order (repeat orders, order_count).
-- Not partial: it is reached through joins (unnest of recipient ids), where the
-- planner cannot prove a partial index's predicate and fell back to scanning.
CREATE INDEX attribution_recipient_idx ON attribution (recipient_id, campaign_id, ordered_at, order_id);
CREATE INDEX attribution_unprocessed_idx ON attribution (id) WHERE NOT processed;

-- The orders an attribution-rerun instance re-attributes, selected once when it starts
-- (one set-based statement), then read by key; removed when it completes.
CREATE TABLE attribution_rerun_order (
    job_instance_id        bigint NOT NULL,
    order_id               bigint NOT NULL,
    PRIMARY KEY (job_instance_id, order_id)
);

CREATE TABLE rejected_row (
    id                     bigserial PRIMARY KEY,
    job_instance_id        bigint NOT NULL,
    job_execution_id       bigint NOT NULL,
    source                 text NOT NULL,        -- the file, or the provider
    line                   bigint NOT NULL,      -- the line in the file, or the record's position
    record_id              text,
    reason                 text NOT NULL,
    raw                    text,
    created_at             timestamptz NOT NULL DEFAULT now(),
    UNIQUE (job_instance_id, source, line)
);

CREATE TABLE order_sync_checkpoint (
    organization_id        bigint NOT NULL REFERENCES organization(id),
    provider               text NOT NULL,
    last_order_at          timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organization_id, provider)
);

CREATE TABLE order_sync_run (
    job_execution_id       bigint NOT NULL,
    organization_id        bigint NOT NULL REFERENCES organization(id),
    provider               text NOT NULL,
    checkpoint_before      timestamptz,
    checkpoint_after       timestamptz,
    orders_read            bigint NOT NULL DEFAULT 0,
    orders_new             bigint NOT NULL DEFAULT 0,
    orders_updated         bigint NOT NULL DEFAULT 0,
    orders_matched         bigint NOT NULL DEFAULT 0,
    orders_internal        bigint NOT NULL DEFAULT 0,
    orders_blacklisted     bigint NOT NULL DEFAULT 0,
    orders_skipped         bigint NOT NULL DEFAULT 0,
    started_at             timestamptz NOT NULL DEFAULT now(),
    finished_at            timestamptz,
    PRIMARY KEY (job_execution_id, organization_id)
);
