-- Orders and revenue credited to each campaign, by UTC month of the order and
-- by method; holdout (control) attributions apart from mailed (experiment) ones.
-- psql -v org=acme -f attributed_revenue_by_method.sql
SELECT c.key                                              AS campaign,
       to_char(date_trunc('month', o.ordered_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
       a.method,
       CASE WHEN a.holdout THEN 'control' ELSE 'experiment' END AS grp,
       count(*)                                           AS orders,
       count(*) FILTER (WHERE a.order_count = 1)          AS first_orders,
       sum(o.total)                                       AS revenue,
       min(o.currency)                                    AS currency
FROM attribution a
JOIN customer_order o ON o.id = a.order_id
JOIN campaign c       ON c.id = a.campaign_id
JOIN organization g   ON g.id = a.organization_id
WHERE g.slug = :'org'
  AND a.processed AND a.passes_rules AND NOT a.archived
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4;
