-- A campaign-level discount code is compared with an order's codes in the form the application
-- gives both (OrderFacts.codeUpper: trimmed of whitespace and control characters, upper case in
-- the root locale, as recipients' unique codes are stored), not PostgreSQL's upper(btrim()), which
-- trims only spaces and upper-cases by the database's locale: 'GROßE10' on an order is 'GROSSE10'
-- in Java but stayed 'GROßE10' in the database, and under the C locale even 'été10' never matched.
-- Filled here with upper(btrim()), then by V8 (a Java migration) in the application's form; apply
-- writes it from then on.
ALTER TABLE campaign ADD COLUMN discount_code_upper text COLLATE "C";
UPDATE campaign SET discount_code_upper = upper(btrim(discount_code)) WHERE discount_code IS NOT NULL;
DROP INDEX campaign_code_idx;
CREATE INDEX campaign_code_idx ON campaign (organization_id, discount_code_upper)
    WHERE discount_code_upper IS NOT NULL;
