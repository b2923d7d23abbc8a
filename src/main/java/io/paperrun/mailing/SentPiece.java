package io.paperrun.mailing;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A piece the printer accepted: its id at the printer, when it accepted it, and what it costs ({@code null} when the
 * printer reported no cost: the campaign's {@code cost_per_piece} applies).
 */
public record SentPiece(String providerPieceId, Instant acceptedAt, BigDecimal cost) {}
