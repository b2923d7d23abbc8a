package io.paperrun.order;

import io.paperrun.integration.shopify.FakeShopify;
import io.paperrun.support.SampleOrders;
import java.time.Instant;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Orders as the fake Shopify's order nodes. */
final class ShopifyNodes {

    private ShopifyNodes() {}

    /** {@code o} as Shopify's orders query returns it, last updated at {@code updatedAt}. */
    static ObjectNode of(SampleOrders.Order o, Instant updatedAt) {
        ObjectNode node = FakeShopify.order(Long.parseLong(o.id()), o.createdAt(), updatedAt);
        node.put("email", o.email());
        node.putObject("customer").put("email", o.email());
        ArrayNode codes = node.putArray("discountCodes");
        o.codes().forEach(codes::add);
        ObjectNode money = node.putObject("totalPriceSet").putObject("shopMoney");
        money.put("amount", o.total());
        money.put("currencyCode", o.currency());
        ObjectNode address = node.putObject("shippingAddress");
        address.put("address1", o.address1());
        address.put("address2", o.address2() == null || o.address2().isEmpty() ? null : o.address2());
        address.put("city", o.city());
        address.put("provinceCode", o.region());
        address.put("zip", o.zip());
        address.put("countryCodeV2", o.country());
        return node;
    }
}
