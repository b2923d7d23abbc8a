package io.paperrun.order;

/** Opens the order sources of one provider; an {@code integration} package implements it as a bean. */
public interface OrderSourceFactory {

    /** The provider of an organization that names none (interface.md: {@code order_source}, csv by default). */
    String DEFAULT_PROVIDER = "csv";

    /** The provider, as an organization's {@code order_source} names it: csv, shopify, klaviyo, ometria. */
    String provider();

    OrderSource open(OrderReading reading);
}
