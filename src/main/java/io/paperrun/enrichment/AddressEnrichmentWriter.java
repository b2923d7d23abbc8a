package io.paperrun.enrichment;

import java.util.List;
import java.util.Map;
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
 * Writes an organization's chunk of enriched recipients in the chunk's transaction, and counts what it wrote into
 * the step's execution context once the chunk commits ({@link EnrichmentCounts}).
 */
public class AddressEnrichmentWriter implements ItemWriter<EnrichedRecipient>, StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(AddressEnrichmentWriter.class);

    private final String organization;
    private final EnrichmentRepository repository;
    private StepExecution step;

    public AddressEnrichmentWriter(String organization, EnrichmentRepository repository) {
        this.organization = organization;
        this.repository = repository;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        this.step = stepExecution;
    }

    @Override
    public void write(Chunk<? extends EnrichedRecipient> chunk) {
        Map<Long, String> written = repository.write(chunk.getItems());
        EnrichmentCounts counts = new EnrichmentCounts();
        for (EnrichedRecipient recipient : chunk) {
            String status = written.get(recipient.id());
            if (status != null) {
                counts.add(recipient, status);
            }
        }
        StepExecution current = step;
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                counts.addTo(current.getExecutionContext());
            }
        });
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        log.info(
                "{}: addresses enriched: {}",
                organization,
                EnrichmentCounts.of(List.of(stepExecution.getExecutionContext())));
        return stepExecution.getExitStatus();
    }
}
