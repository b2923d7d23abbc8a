package io.paperrun.recipient;

import io.paperrun.batch.ImportWriter;
import io.paperrun.batch.RejectedRows;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Writes a chunk of recipient rows: upserts the good ones, records the rejected ones, in one transaction. */
public class RecipientSyncWriter extends ImportWriter<IncomingRecipient> {

    private final long organizationId;
    private final RecipientRepository recipients;
    /** What this step has queued for stage B again ({@link RecipientRepository#requeueWhereFirstSendMoves}). */
    private final Map<Long, Long> requeued = new ConcurrentHashMap<>();

    public RecipientSyncWriter(
            long organizationId, String source, RecipientRepository recipients, RejectedRows rejectedRows) {
        super(source, rejectedRows, r -> List.of(r.campaignId(), r.naturalKey()));
        this.organizationId = organizationId;
        this.recipients = recipients;
    }

    @Override
    protected void writeAccepted(List<IncomingRecipient> values, int lines, int rejected) {
        if (!values.isEmpty()) {
            recipients.requeueWhereFirstSendMoves(values, requeued);
            recipients.upsert(organizationId, values);
        }
    }
}
