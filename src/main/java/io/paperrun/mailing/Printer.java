package io.paperrun.mailing;

import java.io.IOException;

/**
 * A print-and-mail service as the mailing stage uses it: creates a postcard exactly once per idempotency key, and
 * says where a created one is. An {@code integration} package implements it; {@link PrinterFactory} opens it.
 */
public interface Printer {

    /** The printer's name, as the apply file's {@code printer} says it: lob, stannp, intelliprint, print_file. */
    String name();

    /**
     * Creates the piece. Sending the same piece again (its idempotency key) never creates a second postcard: it
     * answers the piece created the first time.
     *
     * @throws PieceRefusedException the printer refused the piece (422: a bad address or artwork)
     * @throws IOException the printer could not be reached or failed, retries exhausted: the piece stays to settle
     */
    SentPiece send(Piece piece) throws IOException;

    /**
     * Settles a piece whose sending may or may not have reached the printer (left in {@code sending} by a crash):
     * the piece the printer created for its key, else created now. By default, {@link #send} with the same key.
     */
    default SentPiece settle(Piece piece) throws IOException {
        return send(piece);
    }

    /** Where the piece {@code providerPieceId} is now, with the printer's events so far. */
    PieceTracking track(String providerPieceId) throws IOException;
}
