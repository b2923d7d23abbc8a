package io.paperrun.batch;

/**
 * Jobs that run one at a time among themselves, not only each with itself: they share the lock {@code name}.
 * {@code member} names one of them to the user, e.g. "job that writes attributions".
 */
public record RunGroup(String name, String member) {}
