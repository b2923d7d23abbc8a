package io.paperrun.recipient;

import io.paperrun.batch.ImportWriter;
import io.paperrun.batch.RejectedRows;
import io.paperrun.organization.Organization;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Writes a chunk of recipient rows in one transaction: upserts those given a status, creates the others by the
 * pipeline's rules ({@link RecipientCreation}), records the rejected ones, and adds what it did to its counts.
 */
public class RecipientSyncWriter extends ImportWriter<IncomingRecipient> {

    private final Organization organization;
    private final RecipientRepository recipients;
    private final RecipientCreation creation;
    private RecipientCreation.Created created = new RecipientCreation.Created(0, 0, 0, 0);
    /** What this step has queued for stage B again ({@link RecipientRepository#requeueWhereFirstSendMoves}). */
    private final Map<Long, Long> requeued = new ConcurrentHashMap<>();

    public RecipientSyncWriter(
            Organization organization,
            Supplier<String> source,
            RecipientRepository recipients,
            RecipientCreation creation,
            RejectedRows rejectedRows) {
        super(source, rejectedRows, r -> List.of(r.campaignId(), r.naturalKey()));
        this.organization = organization;
        this.recipients = recipients;
        this.creation = creation;
    }

    @Override
    protected void writeAccepted(List<IncomingRecipient> values, int lines, int rejected) {
        List<IncomingRecipient> given =
                values.stream().filter(r -> r.status() != null).toList();
        List<IncomingRecipient> toCreate =
                values.stream().filter(r -> r.status() == null).toList();
        if (!given.isEmpty()) {
            recipients.requeueWhereFirstSendMoves(given, requeued);
            recipients.upsert(organization.id(), given);
        }
        if (!toCreate.isEmpty()) {
            RecipientCreation.Created chunk = creation.create(organization, toCreate);
            created = created.plus(chunk);
            afterCreating(toCreate, chunk);
        }
    }

    /** What the chunk's creation did, in the chunk's transaction: a sync records it with its checkpoint. */
    protected void afterCreating(List<IncomingRecipient> created, RecipientCreation.Created counts) {}
}
