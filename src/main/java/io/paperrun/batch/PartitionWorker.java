package io.paperrun.batch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepLocator;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.dao.EmptyResultDataAccessException;

/**
 * Runs the partitions the broker hands this worker with Spring Batch's {@link StepExecutionRequestHandler}. A
 * partition runs only while the job repository says it is to run, and only under a session lock of its own in
 * PostgreSQL: a request delivered again (its worker died, or lost the broker) waits for the first runner to end or
 * die, then resumes the partition from its last committed chunk, or finds it ended and does nothing.
 */
public final class PartitionWorker implements MessageListener {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionWorker.class);

    private final JobRepository jobRepository;
    private final DataSource dataSource;
    private final StepExecutionRequestHandler steps = new StepExecutionRequestHandler();
    private final StepLocator workerSteps;
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    PartitionWorker(JobRepository jobRepository, DataSource dataSource, StepLocator workerSteps) {
        this.jobRepository = jobRepository;
        this.dataSource = dataSource;
        steps.setJobRepository(jobRepository);
        this.workerSteps = workerSteps;
        steps.setStepLocator(workerSteps);
    }

    @Override
    public void onMessage(Message message) {
        PartitionRequest request;
        try {
            request = PartitionRequest.parse(message.getBody());
        } catch (IllegalArgumentException e) {
            LOG.error("a message on the partition queue is {}: dropped", e.getMessage());
            return;
        }
        try {
            run(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before partition " + request.stepExecutionId() + " ran");
        } catch (SQLException | RuntimeException e) {
            // The database or the repository could not be reached: the request goes back to the queue, a little
            // later than at once.
            LOG.warn("partition {} handed back to the broker: {}", request.stepExecutionId(), e.toString());
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("partition " + request.stepExecutionId() + ": " + e.getMessage(), e);
        }
    }

    /** Runs the partition, unless it has ended; returns once it has ended (or is handed back, stopping). */
    void run(PartitionRequest request) throws SQLException, InterruptedException {
        long id = request.stepExecutionId();
        StepExecution partition = stored(id);
        if (partition == null) {
            LOG.warn("partition {} ({}) is not in the job repository: dropped", id, request.step());
            return;
        }
        if (!partition.getStatus().isRunning()) {
            LOG.info(
                    "{} (step execution {}) has already ended {}: nothing to do",
                    partition.getStepName(),
                    id,
                    partition.getStatus());
            return;
        }
        if (workerSteps.getStep(request.step()) == null) {
            // Another version of PaperRun launched it: ended FAILED here, so that its run ends and can be restarted.
            partition.setStatus(BatchStatus.FAILED);
            partition.setExitStatus(ExitStatus.FAILED.addExitDescription(
                    "this worker has no step " + request.step() + " (another version of PaperRun?)"));
            partition.setEndTime(LocalDateTime.now());
            jobRepository.update(partition);
            LOG.error(
                    "{} (step execution {}): this worker has no step {}: failed",
                    partition.getStepName(),
                    id,
                    request.step());
            return;
        }
        String key = partition.getJobExecution().getJobInstanceId() + ":" + partition.getStepName();
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(true);
            boolean waited = false;
            while (!tryLock(lock, key)) {
                if (!waited) {
                    LOG.info(
                            "{} (step execution {}) is still held by another worker: waiting",
                            partition.getStepName(),
                            id);
                    waited = true;
                }
                if (stopping) {
                    throw new IllegalStateException("stopping: partition " + id + " handed back");
                }
                Thread.sleep(1_000);
            }
            try {
                partition = stored(id);
                if (partition == null || !partition.getStatus().isRunning()) {
                    LOG.info("step execution {} has ended meanwhile: nothing to do", id);
                    return;
                }
                running.add(id);
                LOG.info(
                        "{} (step execution {} of job execution {}): {}",
                        partition.getStepName(),
                        id,
                        partition.getJobExecutionId(),
                        partition.getStatus() == BatchStatus.STARTED
                                ? "resumed from its last committed chunk"
                                : "started");
                StepExecution ended = steps.handle(new StepExecutionRequest(request.step(), id));
                LOG.info("{} (step execution {}): {}", ended.getStepName(), id, ended.getStatus());
            } finally {
                running.remove(id);
                unlock(lock, key);
            }
        }
    }

    /** The step execution as the repository has it; null when it has none. */
    private StepExecution stored(long id) {
        try {
            return jobRepository.getStepExecution(id);
        } catch (EmptyResultDataAccessException e) {
            return null;
        }
    }

    /** Takes no partition it has not started; a request waiting for another worker's lock goes back. */
    public void stopping() {
        stopping = true;
    }

    /** The step executions of the partitions running here now. */
    public Set<Long> running() {
        return Set.copyOf(running);
    }

    private static boolean tryLock(Connection connection, String key) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT pg_try_advisory_lock(hashtext('paperrun.partition'), hashtext(?))")) {
            lock.setString(1, key);
            try (ResultSet result = lock.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection connection, String key) throws SQLException {
        try (PreparedStatement unlock =
                connection.prepareStatement("SELECT pg_advisory_unlock(hashtext('paperrun.partition'), hashtext(?))")) {
            unlock.setString(1, key);
            unlock.execute();
        }
    }
}
