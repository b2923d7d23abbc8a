package io.paperrun.mailing;

import java.io.IOException;

/** The printer refused a piece for good (HTTP 422: a bad address, bad artwork); its message says why. */
public class PieceRefusedException extends IOException {

    public PieceRefusedException(String printerMessage) {
        super(printerMessage);
    }
}
