package io.paperrun.mailing;

/** What the printer said of a tracked piece. */
public record PieceUpdate(TrackedPiece piece, PieceTracking tracking) {}
