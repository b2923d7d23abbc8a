-- Where an organization's orders come from, and its providers' settings as its apply
-- file declares them: text by provider and setting name, secrets as references to
-- environment variables only (apply refuses anything else).
ALTER TABLE organization
    ADD COLUMN order_source text NOT NULL DEFAULT 'csv'
        CHECK (order_source IN ('csv','shopify','klaviyo','ometria')),
    ADD COLUMN integrations jsonb NOT NULL DEFAULT '{}';

-- A cancelled order is kept, with when it was cancelled.
ALTER TABLE customer_order ADD COLUMN cancelled_at timestamptz;
