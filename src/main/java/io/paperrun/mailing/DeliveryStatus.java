package io.paperrun.mailing;

/** Where a sent postcard is, as {@code delivery_status} stores it; delivered and returned are final. */
public enum DeliveryStatus {
    IN_TRANSIT("in_transit"),
    DELIVERED("delivered"),
    RETURNED_TO_SENDER("returned_to_sender");

    private final String code;

    DeliveryStatus(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public boolean isFinal() {
        return this != IN_TRANSIT;
    }
}
