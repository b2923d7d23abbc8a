package io.paperrun.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.DatabaseTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What a worker does with requests it cannot run: a malformed message or a partition the repository does not know
 * is dropped; one already ended is left as it is; one of a step this worker does not have (another version of
 * PaperRun launched it) ends FAILED, so that its run ends and can be restarted rather than wait for ever.
 */
class PartitionWorkerTest extends DatabaseTest {

    @Autowired
    JobRepository jobRepository;

    @Autowired
    DataSource dataSource;

    @Autowired
    PartitionedSteps partitionedSteps;

    private PartitionWorker worker() {
        return new PartitionWorker(jobRepository, dataSource, partitionedSteps);
    }

    @Test
    void aPartitionOfAStepThisWorkerDoesNotHaveEndsFailedSayingSo() throws Exception {
        StepExecution partition = partition("attribution-processing-decide:partition0");

        worker().run(new PartitionRequest("no-such-step", partition.getId()));

        StepExecution stored = jobRepository.getStepExecution(partition.getId());
        assertThat(stored.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(stored.getExitStatus().getExitDescription())
                .contains("this worker has no step no-such-step (another version of PaperRun?)");
        assertThat(stored.getEndTime()).isNotNull();
    }

    @Test
    void aPartitionThatHasEndedIsLeftAsItIs() throws Exception {
        StepExecution partition = partition("attribution-processing-decide:partition0");
        partition.setStatus(BatchStatus.COMPLETED);
        jobRepository.update(partition);

        worker().run(new PartitionRequest("attribution-processing-decide", partition.getId()));

        StepExecution stored = jobRepository.getStepExecution(partition.getId());
        assertThat(stored.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(stored.getReadCount()).isZero();
        assertThat(stored.getVersion()).isEqualTo(partition.getVersion());
    }

    @Test
    void aMalformedMessageOrAnUnknownPartitionIsDropped() throws Exception {
        long executions = count("batch_step_execution");
        worker().onMessage(new Message("{\"step\":".getBytes(StandardCharsets.UTF_8), new MessageProperties()));
        worker().onMessage(new Message(
                "{\"step\":\"x\",\"step_execution_id\":\"7\"}".getBytes(StandardCharsets.UTF_8),
                new MessageProperties()));
        worker().run(new PartitionRequest("attribution-processing-decide", 999_999));
        assertThat(count("batch_step_execution")).isEqualTo(executions);
    }

    @Test
    void aRequestReadsBackAsItWasWritten() {
        PartitionRequest request = new PartitionRequest("order-sync-orders", 42);
        assertThat(new String(request.json(), StandardCharsets.UTF_8))
                .isEqualTo("{\"step\":\"order-sync-orders\",\"step_execution_id\":42}");
        assertThat(PartitionRequest.parse(request.json())).isEqualTo(request);
    }

    @Test
    void theLauncherCountsThePartitionsNoWorkerHasTakenAndSaysWhatMayBeMissing() throws Exception {
        StepExecution first = partition("attribution-processing-decide:partition0");
        StepExecution manager =
                jobRepository.createStepExecution("attribution-processing-decide", first.getJobExecution());
        jobRepository.createStepExecution("attribution-processing-decide:partition1", first.getJobExecution());
        RemotePartitions remote = new RemotePartitions(
                null, jobRepository, new BrokerSettings("amqp://x", "q", Duration.ofSeconds(1), 1, Duration.ZERO));
        assertThat(remote.untaken(manager)).isEqualTo(2);
        first.setStatus(BatchStatus.STARTED);
        jobRepository.update(first);
        assertThat(remote.untaken(manager)).isEqualTo(1);
        assertThat(RemotePartitions.untakenWarning("attribution-processing-decide", 1, "paperrun.partitions"))
                .isEqualTo("attribution-processing-decide: 1 partition still waiting for a worker: is a paperrun "
                        + "worker running on queue paperrun.partitions, with the same database?");
    }

    /** A partition as a launching process creates it: STARTING, in a running execution. */
    private StepExecution partition(String name) throws Exception {
        var parameters = new JobParametersBuilder()
                .addString("run", name + System.nanoTime())
                .toJobParameters();
        var instance = jobRepository.createJobInstance("attribution-processing", parameters);
        JobExecution execution = jobRepository.createJobExecution(
                instance, parameters, new org.springframework.batch.infrastructure.item.ExecutionContext());
        return jobRepository.createStepExecution(name, execution);
    }
}
