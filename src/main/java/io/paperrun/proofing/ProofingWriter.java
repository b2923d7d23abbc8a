package io.paperrun.proofing;

import io.paperrun.batch.LogContext;
import io.paperrun.campaign.Campaign;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Proofs a campaign's chunk of recipients in the chunk's transaction (pipeline-rules §3): stages them, gives those
 * that need one their unique code, takes them into {@code proofing}, renders and stores their proofs side by side on
 * the render threads, and settles them {@code proofed}, or {@code failed} with the reason when their proof cannot be
 * rendered or no unique code is left. A proof that cannot be stored fails the chunk, which is rolled back whole.
 */
public class ProofingWriter implements ItemWriter<RecipientToProof>, StepExecutionListener {

    /** The reason of a recipient that needed a code from the pool when none was left. */
    public static final String NO_CODE_LEFT = "no unique code left in the pool";

    private static final Logger log = LoggerFactory.getLogger(ProofingWriter.class);

    /** What the writer needs besides its campaign: the database, the codes, the renderer, the store and threads. */
    public record Services(
            ProofingRepository recipients,
            UniqueCodeAssignment codes,
            ProofStore store,
            ProofRendering.Prepared design,
            ExecutorService threads) {}

    private final String organization;
    private final Campaign campaign;
    private final Services services;
    private StepExecution step;

    public ProofingWriter(String organization, Campaign campaign, Services services) {
        this.organization = organization;
        this.campaign = campaign;
        this.services = services;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        this.step = stepExecution;
    }

    @Override
    public void write(Chunk<? extends RecipientToProof> chunk) throws Exception {
        ProofingCounts counts = new ProofingCounts();
        long started = System.nanoTime();
        List<Long> ids = new ArrayList<>(chunk.size());
        chunk.forEach(r -> ids.add(r.id()));
        List<RecipientToProof> staged = services.recipients().stage(campaign.id(), ids);
        List<Long> stagedIds =
                staged.stream().map(RecipientToProof::id).sorted().toList();
        Set<Long> withoutCode = new HashSet<>();
        staged.stream().filter(r -> !r.hasDiscountCode()).forEach(r -> withoutCode.add(r.id()));
        Set<Long> noCodeLeft = services.codes().assign(campaign, stagedIds, withoutCode);
        List<ProofingRepository.Failed> failed = new ArrayList<>();
        noCodeLeft.forEach(id -> failed.add(new ProofingRepository.Failed(id, NO_CODE_LEFT)));
        List<RecipientToProof.Fields> taken = services.recipients()
                .take(
                        campaign,
                        stagedIds.stream()
                                .filter(id -> !noCodeLeft.contains(id))
                                .toList());
        long database = System.nanoTime() - started;

        List<Future<Outcome>> running = new ArrayList<>(taken.size());
        for (RecipientToProof.Fields recipient : taken) {
            running.add(services.threads().submit(LogContext.carried(() -> proof(recipient))));
        }
        List<ProofingRepository.Proofed> proofed = new ArrayList<>(taken.size());
        try {
            for (Future<Outcome> outcome : running) {
                Outcome done = outcome.get();
                counts.add("render-ms", done.renderNanos() / 1_000_000);
                counts.add("store-ms", done.storeNanos() / 1_000_000);
                if (done.failure() != null) {
                    failed.add(done.failure());
                } else {
                    proofed.add(done.proofed());
                }
            }
        } catch (ExecutionException e) {
            running.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } finally {
            running.forEach(f -> f.cancel(true));
        }
        long settling = System.nanoTime();
        ProofingRepository.Settled settled = services.recipients().settle(proofed, failed);
        database += System.nanoTime() - settling;
        for (ProofingRepository.Failed f : failed) {
            log.info("{}/{}: recipient {} failed: {}", organization, campaign.key(), f.id(), f.reason());
        }
        counts.add("proofed", settled.proofed());
        counts.add("failed", settled.failed());
        counts.add("database-ms", database / 1_000_000);
        StepExecution current = step;
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                counts.addTo(current.getExecutionContext());
            }
        });
    }

    /** A recipient's proof rendered and stored, or why it could not be rendered; and the time each part took. */
    private record Outcome(
            ProofingRepository.Proofed proofed, ProofingRepository.Failed failure, long renderNanos, long storeNanos) {}

    private Outcome proof(RecipientToProof.Fields recipient) throws IOException {
        long started = System.nanoTime();
        RenderedProof proof;
        try {
            proof = services.design().render(recipient.values(), recipient.discountCode());
        } catch (ProofRenderingException e) {
            return new Outcome(
                    null,
                    new ProofingRepository.Failed(recipient.id(), e.getMessage()),
                    System.nanoTime() - started,
                    0);
        }
        long rendered = System.nanoTime();
        StoredProof stored = services.store().store(new ProofKey(organization, campaign.key(), recipient.id()), proof);
        return new Outcome(
                new ProofingRepository.Proofed(recipient.id(), stored),
                null,
                rendered - started,
                System.nanoTime() - rendered);
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        log.info(
                "{}/{}: {}",
                organization,
                campaign.key(),
                ProofingCounts.of(List.of(stepExecution.getExecutionContext())));
        return stepExecution.getExitStatus();
    }
}
