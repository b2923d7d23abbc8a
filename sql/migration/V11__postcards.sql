-- Postcards (pipeline-rules.md sections 3 to 5): a campaign's design, printer and unique codes; a recipient's
-- proof, piece and delivery; unique-code pools, print-file runs and tracking events.

-- The apply file's printer (auto | lob | stannp | intelliprint | print_file), unique_codes
-- {generate, prefix, length} and postcard {size, front, back, templates, return_address, mail_type, use_type,
-- landing_url}, the templates' HTML held as applied so that proofs never depend on files that moved.
ALTER TABLE campaign
    ADD COLUMN printer text NOT NULL DEFAULT 'auto'
        CHECK (printer IN ('auto','lob','stannp','intelliprint','print_file')),
    ADD COLUMN unique_codes jsonb,
    ADD COLUMN postcard jsonb;

-- A recipient's proof (where its two-page PDF and its preview are), and when it was proofed; whether its printer
-- will say no more of its piece (delivered, returned or cancelled), and when it was last asked.
ALTER TABLE recipient
    ADD COLUMN proof_front text,
    ADD COLUMN proof_back text,
    ADD COLUMN preview text,
    ADD COLUMN proofed_at timestamptz,
    ADD COLUMN tracking_done boolean NOT NULL DEFAULT false,
    ADD COLUMN tracked_at timestamptz;

-- proofing's and mailing's work, by organization and campaign, in id order.
CREATE INDEX recipient_to_proof_idx ON recipient (campaign_id, id)
    WHERE status IN ('pending','proofing_staged','proofing');
CREATE INDEX recipient_to_mail_idx ON recipient (campaign_id, id)
    WHERE status IN ('proofed','sending_staged','sending');
-- delivery-tracking's work: sent pieces not known to be home or returned.
CREATE INDEX recipient_to_track_idx ON recipient (organization_id, id)
    WHERE status = 'sent' AND provider IN ('lob','stannp','intelliprint') AND NOT tracking_done;
-- A piece's idempotency key is one piece.
CREATE UNIQUE INDEX recipient_idempotency_key_idx ON recipient (idempotency_key) WHERE idempotency_key IS NOT NULL;

-- A campaign's pool of unique discount codes (import codes), each given to at most one recipient.
CREATE TABLE discount_code_pool (
    id                     bigserial PRIMARY KEY,
    campaign_id            bigint NOT NULL REFERENCES campaign(id),
    code                   text NOT NULL,
    code_upper             text COLLATE "C" NOT NULL,
    recipient_id           bigint REFERENCES recipient(id),
    imported_at            timestamptz NOT NULL DEFAULT now(),
    assigned_at            timestamptz,
    UNIQUE (campaign_id, code_upper)
);
CREATE UNIQUE INDEX discount_code_pool_recipient_idx ON discount_code_pool (recipient_id)
    WHERE recipient_id IS NOT NULL;
CREATE INDEX discount_code_pool_free_idx ON discount_code_pool (campaign_id, id) WHERE recipient_id IS NULL;

-- The print_file printer: each mailing run's pieces of a campaign go into one print run, whose postcards.pdf and
-- manifest.csv are written from these rows once its pieces are committed.
CREATE TABLE print_run (
    id                     bigserial PRIMARY KEY,
    campaign_id            bigint NOT NULL REFERENCES campaign(id),
    job_execution_id       bigint NOT NULL,
    directory              text,
    pieces                 integer NOT NULL DEFAULT 0,
    created_at             timestamptz NOT NULL DEFAULT now(),
    written_at             timestamptz,
    UNIQUE (campaign_id, job_execution_id)
);
CREATE TABLE print_piece (
    recipient_id           bigint PRIMARY KEY REFERENCES recipient(id),
    print_run_id           bigint NOT NULL REFERENCES print_run(id),
    piece_id               text NOT NULL UNIQUE,
    created_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX print_piece_run_idx ON print_piece (print_run_id, recipient_id);

-- The printers' tracking events of each sent piece, each once.
CREATE TABLE delivery_event (
    recipient_id           bigint NOT NULL REFERENCES recipient(id),
    event_id               text NOT NULL,
    name                   text NOT NULL,
    occurred_at            timestamptz,
    created_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (recipient_id, event_id)
);
