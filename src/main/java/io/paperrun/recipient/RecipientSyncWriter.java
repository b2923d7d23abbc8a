package io.paperrun.recipient;

import io.paperrun.batch.ImportLine;
import io.paperrun.batch.ImportWriter;
import io.paperrun.batch.RejectedRows;
import io.paperrun.organization.Organization;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Writes a chunk of recipient rows in one transaction: upserts those given a status, creates the others by the
 * pipeline's rules ({@link RecipientCreation}), records the rejected ones, and adds what it did to its counts.
 */
public class RecipientSyncWriter extends ImportWriter<IncomingRecipient> {

    private final Organization organization;
    private final RecipientRepository recipients;
    private final RecipientCreation creation;
    /** What this step has queued for stage B again ({@link RecipientRepository#requeueWhereFirstSendMoves}). */
    private final Map<Long, Long> requeued = new ConcurrentHashMap<>();

    /** A segment sync's campaign, whose run's counts and checkpoint each chunk advances. */
    public record SegmentRun(long campaignId, RecipientSyncCheckpoints checkpoints) {}

    private final SegmentRun segmentRun;

    /** @param segmentRun the campaign's run, for a segment sync; null for a file */
    public RecipientSyncWriter(
            Organization organization,
            Supplier<String> source,
            RecipientRepository recipients,
            RecipientCreation creation,
            RejectedRows rejectedRows,
            SegmentRun segmentRun) {
        super(source, rejectedRows, r -> List.of(r.campaignId(), r.naturalKey()));
        this.organization = organization;
        this.recipients = recipients;
        this.creation = creation;
        this.segmentRun = segmentRun;
    }

    /** Step-context keys of what the rules did with the rows without a status, over the step's chunks. */
    public static final String CREATED = "created.new",
            SKIPPED = "created.skipped",
            SUPPRESSED = "created.suppressed",
            HELD_OUT = "created.heldOut";

    private RecipientCreation.Created total = new RecipientCreation.Created(0, 0, 0, 0);
    private RecipientCreation.Created pending = new RecipientCreation.Created(0, 0, 0, 0);

    @Override
    public void open(ExecutionContext context) {
        super.open(context);
        total = new RecipientCreation.Created(
                context.getInt(CREATED, 0),
                context.getInt(SKIPPED, 0),
                context.getInt(SUPPRESSED, 0),
                context.getInt(HELD_OUT, 0));
    }

    @Override
    public void update(ExecutionContext context) {
        super.update(context);
        context.putInt(CREATED, total.created());
        context.putInt(SKIPPED, total.skipped());
        context.putInt(SUPPRESSED, total.suppressed());
        context.putInt(HELD_OUT, total.heldOut());
    }

    @Override
    public void write(Chunk<? extends ImportLine<IncomingRecipient>> chunk) {
        super.write(chunk);
        // Counted once the chunk's writes succeeded; the step saves them with the chunk's commit.
        total = total.plus(pending);
        pending = new RecipientCreation.Created(0, 0, 0, 0);
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
        RecipientCreation.Created chunk = toCreate.isEmpty()
                ? new RecipientCreation.Created(0, 0, 0, 0)
                : creation.create(organization, toCreate);
        pending = chunk;
        if (segmentRun != null) {
            Instant latest = values.stream()
                    .map(IncomingRecipient::joinedGroupAt)
                    .filter(t -> t != null)
                    .max(Instant::compareTo)
                    .orElse(null);
            segmentRun
                    .checkpoints()
                    .addChunk(
                            jobExecutionId(),
                            segmentRun.campaignId(),
                            new RecipientSyncCheckpoints.ChunkCounts(
                                    lines,
                                    chunk.created(),
                                    chunk.skipped() + rejected,
                                    chunk.suppressed(),
                                    chunk.heldOut(),
                                    latest));
        }
    }
}
