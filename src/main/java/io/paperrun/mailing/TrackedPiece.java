package io.paperrun.mailing;

/** A sent piece whose printer may still say more of it: the recipient, its printer and the printer's piece id. */
public record TrackedPiece(long id, long campaignId, String printer, String providerPieceId) {}
