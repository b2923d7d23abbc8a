package io.paperrun.mailing;

import java.util.List;

/**
 * The {@code print_file} printer: a piece is recorded once into its campaign's print run of this execution, and the
 * run's {@code postcards.pdf} and {@code manifest.csv} are written from those records ({@link PrintFiles}) once its
 * pieces are committed. Recording a piece again answers the piece recorded the first time.
 */
final class PrintFilePrinter implements Printer {

    static final String NAME = "print_file";

    private final PrintRuns runs;
    private final long campaignId;
    private final long jobExecutionId;

    PrintFilePrinter(PrintRuns runs, long campaignId, long jobExecutionId) {
        this.runs = runs;
        this.campaignId = campaignId;
        this.jobExecutionId = jobExecutionId;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SentPiece send(Piece piece) {
        return runs.record(campaignId, jobExecutionId, piece.recipientId());
    }

    /** A print shop reports nothing back: a printed piece is finished as far as tracking goes. */
    @Override
    public PieceTracking track(String providerPieceId) {
        return new PieceTracking(null, null, true, List.of());
    }
}
