package io.paperrun.order;

import io.paperrun.batch.CopyRows;
import io.paperrun.batch.TextArray;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class OrderRepository {

    private final JdbcClient jdbc;
    private final DataSource dataSource;

    public OrderRepository(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** An order to store and the flags stage A set on it. */
    public record OrderRow(IncomingOrder order, boolean internal, boolean blacklisted) {}

    /**
     * Upserts a chunk of orders by {@code (organization, provider, provider_order_id)}: finds which are stored
     * already, inserts the others and updates those whose fields changed (an unchanged order is left untouched).
     * Order ids must be unique within the chunk.
     * <p>
     * One scan finds the chunk's stored ids; the new orders are copied in ({@link #insert}), the changed ones
     * updated ({@link #update}). A plain insert is safe: one execution of order-sync runs at a time and its
     * partitions hold disjoint order ids; were another to store one meanwhile, the unique constraint fails the
     * chunk, which rolls back and can be restarted.
     */
    public List<StoredOrder> upsert(long organizationId, String provider, List<OrderRow> rows) {
        Map<String, Long> existing = new HashMap<>();
        jdbc.sql("""
                        SELECT provider_order_id, id FROM customer_order
                        WHERE organization_id = ? AND provider = ? AND provider_order_id = ANY(?::text[])
                        """)
                .param(organizationId)
                .param(provider)
                .param(TextArray.of(
                        rows.stream().map(r -> r.order().providerOrderId()).toArray(String[]::new)))
                .query(rs -> {
                    existing.put(rs.getString(1), rs.getLong(2));
                });
        List<OrderRow> fresh = new ArrayList<>(rows.size());
        List<OrderRow> known = new ArrayList<>();
        for (OrderRow row : rows) {
            (existing.containsKey(row.order().providerOrderId()) ? known : fresh).add(row);
        }
        Map<String, StoredOrder> stored = new HashMap<>();
        if (!fresh.isEmpty()) {
            insert(organizationId, provider, fresh).forEach(o -> stored.put(o.providerOrderId(), o));
        }
        if (!known.isEmpty()) {
            update(known, existing).forEach(o -> stored.put(o.providerOrderId(), o));
        }
        List<StoredOrder> out = new ArrayList<>(rows.size());
        for (OrderRow row : rows) {
            String orderId = row.order().providerOrderId();
            StoredOrder s = stored.get(orderId);
            out.add(s != null ? s : new StoredOrder(existing.get(orderId), orderId, StoredOrder.Change.UNCHANGED));
        }
        return out;
    }

    /**
     * Inserts new orders with {@code COPY} ({@link CopyRows}), their ids drawn from the table's sequence
     * beforehand, in one statement, since {@code COPY} returns none.
     */
    private List<StoredOrder> insert(long organizationId, String provider, List<OrderRow> rows) {
        long[] ids = jdbc
                .sql("SELECT nextval('customer_order_id_seq') FROM generate_series(1, ?)")
                .param(rows.size())
                .query((rs, i) -> rs.getLong(1))
                .list()
                .stream()
                .mapToLong(Long::longValue)
                .toArray();
        CopyRows copy = new CopyRows("customer_order (id, organization_id, provider, provider_order_id, "
                + "ordered_at, email, email_lower, total, currency, discount_codes, shipping_address1, "
                + "shipping_address2, shipping_city, shipping_region, shipping_zip, shipping_country, address_key, "
                + "active_subscription_start, internal, blacklisted, cancelled_at)");
        List<StoredOrder> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            OrderRow row = rows.get(i);
            IncomingOrder o = row.order();
            copy.number(ids[i])
                    .number(organizationId)
                    .text(provider)
                    .text(o.providerOrderId())
                    .instant(o.orderedAt())
                    .text(o.email())
                    .text(o.emailLower())
                    .decimal(o.total())
                    .text(o.currency())
                    .textArray(o.discountCodes())
                    .text(o.shippingAddress1())
                    .text(o.shippingAddress2())
                    .text(o.shippingCity())
                    .text(o.shippingRegion())
                    .text(o.shippingZip())
                    .text(o.shippingCountry())
                    .text(o.addressKey())
                    .instant(o.activeSubscriptionStart())
                    .bool(row.internal())
                    .bool(row.blacklisted())
                    .instant(o.cancelledAt())
                    .end();
            out.add(new StoredOrder(ids[i], o.providerOrderId(), StoredOrder.Change.NEW));
        }
        copy.copy(dataSource);
        return out;
    }

    /**
     * Updates the stored orders whose fields changed, in one statement; returns those it changed. Each order's
     * codes travel as an array literal of their own, as {@link #insert} stores them.
     */
    private List<StoredOrder> update(List<OrderRow> rows, Map<String, Long> storedIds) {
        int n = rows.size();
        long[] ids = new long[n];
        String[] emails = new String[n],
                emailsLower = new String[n],
                totals = new String[n],
                currencies = new String[n],
                codes = new String[n],
                a1 = new String[n],
                a2 = new String[n],
                city = new String[n],
                region = new String[n],
                zip = new String[n],
                country = new String[n],
                keys = new String[n];
        Instant[] times = new Instant[n], subs = new Instant[n], cancelled = new Instant[n];
        boolean[] internal = new boolean[n], blacklisted = new boolean[n];
        for (int i = 0; i < n; i++) {
            IncomingOrder o = rows.get(i).order();
            ids[i] = storedIds.get(o.providerOrderId());
            times[i] = o.orderedAt();
            emails[i] = o.email();
            emailsLower[i] = o.emailLower();
            totals[i] = o.total().toPlainString();
            currencies[i] = o.currency();
            codes[i] = TextArray.of(o.discountCodes());
            a1[i] = o.shippingAddress1();
            a2[i] = o.shippingAddress2();
            city[i] = o.shippingCity();
            region[i] = o.shippingRegion();
            zip[i] = o.shippingZip();
            country[i] = o.shippingCountry();
            keys[i] = o.addressKey();
            subs[i] = o.activeSubscriptionStart();
            cancelled[i] = o.cancelledAt();
            internal[i] = rows.get(i).internal();
            blacklisted[i] = rows.get(i).blacklisted();
        }
        return jdbc.sql("""
                        UPDATE customer_order o SET ordered_at = d.ordered_at, email = d.email,
                            email_lower = d.email_lower, total = d.total, currency = d.currency,
                            discount_codes = d.codes::text[], shipping_address1 = d.a1, shipping_address2 = d.a2,
                            shipping_city = d.city, shipping_region = d.region, shipping_zip = d.zip,
                            shipping_country = d.country, address_key = d.address_key,
                            active_subscription_start = d.sub, internal = d.internal, blacklisted = d.blacklisted,
                            cancelled_at = d.cancelled, updated_at = now()
                        FROM unnest(:ids::bigint[], :times::timestamptz[], :emails::text[], :emailsLower::text[],
                            :totals::numeric[], :currencies::text[], :codes::text[], :a1::text[], :a2::text[],
                            :city::text[], :region::text[], :zip::text[], :country::text[], :keys::text[],
                            :subs::timestamptz[], :internal::boolean[], :blacklisted::boolean[], :cancelled::timestamptz[])
                            AS d(id, ordered_at, email, email_lower, total, currency, codes, a1, a2, city, region,
                                 zip, country, address_key, sub, internal, blacklisted, cancelled)
                        WHERE o.id = d.id
                          AND (o.ordered_at, o.email, o.total, o.currency, o.discount_codes, o.shipping_address1,
                               o.shipping_address2, o.shipping_city, o.shipping_region, o.shipping_zip,
                               o.shipping_country, o.address_key, o.active_subscription_start, o.internal,
                               o.blacklisted, o.cancelled_at)
                          IS DISTINCT FROM
                              (d.ordered_at, d.email, d.total::numeric(14,2), d.currency, d.codes::text[], d.a1,
                               d.a2, d.city, d.region, d.zip, d.country, d.address_key, d.sub, d.internal,
                               d.blacklisted, d.cancelled)
                        RETURNING o.id, o.provider_order_id
                        """)
                .param("ids", ids)
                .param("times", TextArray.of(times))
                .param("emails", TextArray.of(emails))
                .param("emailsLower", TextArray.of(emailsLower))
                .param("totals", TextArray.of(totals))
                .param("currencies", TextArray.of(currencies))
                .param("codes", TextArray.of(codes))
                .param("a1", TextArray.of(a1))
                .param("a2", TextArray.of(a2))
                .param("city", TextArray.of(city))
                .param("region", TextArray.of(region))
                .param("zip", TextArray.of(zip))
                .param("country", TextArray.of(country))
                .param("keys", TextArray.of(keys))
                .param("subs", TextArray.of(subs))
                .param("internal", internal)
                .param("blacklisted", blacklisted)
                .param("cancelled", TextArray.of(cancelled))
                .query((rs, i) -> new StoredOrder(rs.getLong(1), rs.getString(2), StoredOrder.Change.UPDATED))
                .list();
    }

    /** The time of the organization's latest stored order from this provider. */
    public Optional<Instant> latestOrderTime(long organizationId, String provider) {
        return jdbc.sql("SELECT ordered_at FROM customer_order WHERE organization_id = ? AND provider = ? "
                        + "ORDER BY ordered_at DESC LIMIT 1")
                .param(organizationId)
                .param(provider)
                .query((rs, i) -> rs.getTimestamp(1).toInstant())
                .optional();
    }
}
