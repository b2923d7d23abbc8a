package io.paperrun.order;

/** An order after its upsert: its id, and whether the upsert created it, changed it or left it as it was. */
public record StoredOrder(long id, String providerOrderId, Change change) {

    public enum Change {
        NEW,
        UPDATED,
        UNCHANGED
    }
}
