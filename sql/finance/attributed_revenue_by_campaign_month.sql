-- What `paperrun report finance` writes: attributed orders and revenue by
-- campaign, UTC month of the order and currency, for orders placed from :from
-- (inclusive) to :to (exclusive). orders/revenue are the mailed group's;
-- holdout_* the control group's, never credited to the mail. It agrees to the
-- cent with `paperrun export attributions --from ... --to ...`.
--   psql -v org=acme -v from=2024-01-01 -v to=2025-01-01 -f attributed_revenue_by_campaign_month.sql
SELECT c.key                                                        AS campaign,
       to_char(o.ordered_at AT TIME ZONE 'UTC', 'YYYY-MM')          AS month,
       coalesce(o.currency, '')                                     AS currency,
       count(*) FILTER (WHERE NOT a.holdout)                        AS orders,
       coalesce(sum(o.total) FILTER (WHERE NOT a.holdout), 0)       AS revenue,
       count(*) FILTER (WHERE a.holdout)                            AS holdout_orders,
       coalesce(sum(o.total) FILTER (WHERE a.holdout), 0)           AS holdout_revenue
FROM attribution a
JOIN customer_order o ON o.id = a.order_id
JOIN campaign c       ON c.id = a.campaign_id
JOIN organization g   ON g.id = a.organization_id
WHERE g.slug = :'org'
  AND o.ordered_at >= CAST(:'from' || 'T00:00:00Z' AS timestamptz)
  AND o.ordered_at <  CAST(:'to' || 'T00:00:00Z' AS timestamptz)
  AND a.processed AND a.passes_rules AND NOT a.archived
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3;
