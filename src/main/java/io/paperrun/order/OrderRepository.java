package io.paperrun.order;

import io.paperrun.batch.TextArray;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Repository
public class OrderRepository {

    private final JdbcClient jdbc;

    public OrderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An order to store and the flags stage A set on it. */
    public record OrderRow(IncomingOrder order, boolean internal, boolean blacklisted) {
    }

    /**
     * Upserts a chunk of orders by {@code (organization, provider, provider_order_id)} in one statement;
     * an order whose fields did not change is left untouched. Order ids must be unique within the chunk.
     */
    public List<StoredOrder> upsert(long organizationId, String provider, List<OrderRow> rows) {
        int n = rows.size();
        String[] ids = new String[n], emails = new String[n], emailsLower = new String[n],
                totals = new String[n], currencies = new String[n], codes = new String[n], a1 = new String[n],
                a2 = new String[n], city = new String[n], region = new String[n], zip = new String[n],
                country = new String[n], keys = new String[n];
        Instant[] times = new Instant[n], subs = new Instant[n];
        boolean[] internal = new boolean[n], blacklisted = new boolean[n];
        for (int i = 0; i < n; i++) {
            IncomingOrder o = rows.get(i).order();
            ids[i] = o.providerOrderId();
            times[i] = o.orderedAt();
            emails[i] = o.email();
            emailsLower[i] = o.emailLower();
            totals[i] = o.total().toPlainString();
            currencies[i] = o.currency();
            codes[i] = String.join(";", o.discountCodes());
            a1[i] = o.shippingAddress1();
            a2[i] = o.shippingAddress2();
            city[i] = o.shippingCity();
            region[i] = o.shippingRegion();
            zip[i] = o.shippingZip();
            country[i] = o.shippingCountry();
            keys[i] = o.addressKey();
            subs[i] = o.activeSubscriptionStart();
            internal[i] = rows.get(i).internal();
            blacklisted[i] = rows.get(i).blacklisted();
        }
        Map<String, StoredOrder> stored = new HashMap<>();
        jdbc.sql("""
                INSERT INTO customer_order AS o (organization_id, provider, provider_order_id, ordered_at, email,
                    email_lower, total, currency, discount_codes, shipping_address1, shipping_address2, shipping_city,
                    shipping_region, shipping_zip, shipping_country, address_key, active_subscription_start,
                    internal, blacklisted)
                SELECT :org, :provider, t.id, t.ordered_at, t.email, t.email_lower, t.total, t.currency,
                    CASE WHEN t.codes = '' THEN '{}'::text[] ELSE string_to_array(t.codes, ';') END,
                    t.a1, t.a2, t.city, t.region, t.zip, t.country, t.address_key, t.sub, t.internal, t.blacklisted
                FROM unnest(:ids::text[], :times::timestamptz[], :emails::text[], :emailsLower::text[],
                    :totals::numeric[], :currencies::text[], :codes::text[], :a1::text[], :a2::text[], :city::text[],
                    :region::text[], :zip::text[], :country::text[], :keys::text[], :subs::timestamptz[],
                    :internal::boolean[], :blacklisted::boolean[])
                    AS t(id, ordered_at, email, email_lower, total, currency, codes, a1, a2, city, region, zip,
                         country, address_key, sub, internal, blacklisted)
                ON CONFLICT (organization_id, provider, provider_order_id) DO UPDATE SET
                    ordered_at = EXCLUDED.ordered_at, email = EXCLUDED.email, email_lower = EXCLUDED.email_lower,
                    total = EXCLUDED.total, currency = EXCLUDED.currency, discount_codes = EXCLUDED.discount_codes,
                    shipping_address1 = EXCLUDED.shipping_address1, shipping_address2 = EXCLUDED.shipping_address2,
                    shipping_city = EXCLUDED.shipping_city, shipping_region = EXCLUDED.shipping_region,
                    shipping_zip = EXCLUDED.shipping_zip, shipping_country = EXCLUDED.shipping_country,
                    address_key = EXCLUDED.address_key, active_subscription_start = EXCLUDED.active_subscription_start,
                    internal = EXCLUDED.internal, blacklisted = EXCLUDED.blacklisted, updated_at = now()
                WHERE (o.ordered_at, o.email, o.total, o.currency, o.discount_codes, o.shipping_address1,
                       o.shipping_address2, o.shipping_city, o.shipping_region, o.shipping_zip, o.shipping_country,
                       o.address_key, o.active_subscription_start, o.internal, o.blacklisted)
                  IS DISTINCT FROM
                      (EXCLUDED.ordered_at, EXCLUDED.email, EXCLUDED.total, EXCLUDED.currency,
                       EXCLUDED.discount_codes, EXCLUDED.shipping_address1, EXCLUDED.shipping_address2,
                       EXCLUDED.shipping_city, EXCLUDED.shipping_region, EXCLUDED.shipping_zip,
                       EXCLUDED.shipping_country, EXCLUDED.address_key, EXCLUDED.active_subscription_start,
                       EXCLUDED.internal, EXCLUDED.blacklisted)
                RETURNING o.id, o.provider_order_id, (o.xmax = 0) AS inserted
                """)
                .param("org", organizationId).param("provider", provider)
                .param("ids", TextArray.of(ids)).param("times", TextArray.of(times)).param("emails", TextArray.of(emails)).param("emailsLower", TextArray.of(emailsLower))
                .param("totals", TextArray.of(totals)).param("currencies", TextArray.of(currencies)).param("codes", TextArray.of(codes)).param("a1", TextArray.of(a1))
                .param("a2", TextArray.of(a2)).param("city", TextArray.of(city)).param("region", TextArray.of(region)).param("zip", TextArray.of(zip))
                .param("country", TextArray.of(country)).param("keys", TextArray.of(keys)).param("subs", TextArray.of(subs)).param("internal", internal)
                .param("blacklisted", blacklisted)
                .query((rs, i) -> new StoredOrder(rs.getLong(1), rs.getString(2),
                        rs.getBoolean(3) ? StoredOrder.Change.NEW : StoredOrder.Change.UPDATED))
                .list()
                .forEach(s -> stored.put(s.providerOrderId(), s));
        if (stored.size() < n) {
            List<String> unchanged = new ArrayList<>();
            for (String id : ids) {
                if (!stored.containsKey(id)) {
                    unchanged.add(id);
                }
            }
            jdbc.sql("SELECT id, provider_order_id FROM customer_order WHERE organization_id = ? AND provider = ? "
                            + "AND provider_order_id = ANY(?::text[])")
                    .param(organizationId).param(provider).param(TextArray.of(unchanged))
                    .query((rs, i) -> new StoredOrder(rs.getLong(1), rs.getString(2), StoredOrder.Change.UNCHANGED))
                    .list()
                    .forEach(s -> stored.put(s.providerOrderId(), s));
        }
        List<StoredOrder> out = new ArrayList<>(n);
        for (String id : ids) {
            out.add(stored.get(id));
        }
        return out;
    }

    /** The time of the organization's latest stored order from this provider. */
    public Optional<Instant> latestOrderTime(long organizationId, String provider) {
        return jdbc.sql("SELECT ordered_at FROM customer_order WHERE organization_id = ? AND provider = ? "
                        + "ORDER BY ordered_at DESC LIMIT 1")
                .param(organizationId).param(provider)
                .query((rs, i) -> rs.getTimestamp(1).toInstant())
                .optional();
    }
}
