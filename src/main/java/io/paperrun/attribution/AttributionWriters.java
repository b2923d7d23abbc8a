package io.paperrun.attribution;

import io.paperrun.batch.RunGroup;

/**
 * The jobs that write attributions run one at a time: order-sync writes in partitions side by side and leaves
 * the re-queueing of the attributions its changes affect, and the holdout decisions, to its last steps; a
 * stage B decision made in between would read a history that is about to change.
 */
public final class AttributionWriters {

    public static final RunGroup GROUP = new RunGroup("attribution-writers", "job that writes attributions");

    private AttributionWriters() {}
}
