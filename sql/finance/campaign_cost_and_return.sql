-- Each campaign's pieces mailed, their cost (the printer's, else the campaign's
-- cost per piece), the mailed group's attributed orders and revenue, and the
-- return on spend (revenue / cost), as `paperrun report campaign` counts them.
--   psql -v org=acme -f campaign_cost_and_return.sql
WITH mailed AS (
    SELECT r.campaign_id, count(*) AS pieces, sum(coalesce(r.cost, c.cost_per_piece, 0)) AS cost
    FROM recipient r JOIN campaign c ON c.id = r.campaign_id
    WHERE r.status = 'sent'
    GROUP BY 1),
attributed AS (
    SELECT a.campaign_id, count(*) AS orders, sum(a.order_value) AS revenue
    FROM attribution a
    WHERE a.processed AND a.passes_rules AND NOT a.archived AND NOT a.holdout
    GROUP BY 1)
SELECT c.key AS campaign, c.status,
       coalesce(m.pieces, 0) AS mailed, coalesce(m.cost, 0) AS cost,
       coalesce(t.orders, 0) AS orders, coalesce(t.revenue, 0) AS revenue,
       round(t.revenue / nullif(m.cost, 0), 4) AS roas
FROM campaign c
JOIN organization g ON g.id = c.organization_id
LEFT JOIN mailed m ON m.campaign_id = c.id
LEFT JOIN attributed t ON t.campaign_id = c.id
WHERE g.slug = :'org'
ORDER BY c.key;
