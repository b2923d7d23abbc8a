package io.paperrun.batch;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.MDC;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.core.Ordered;

/**
 * The running job and step in the logging MDC ({@link #JOB}, {@link #JOB_EXECUTION_ID}, {@link #STEP},
 * {@link #STEP_EXECUTION_ID}, and the job's {@code org} and {@code campaign} parameters), on the thread that runs
 * them, so that every log event names them; what the thread had before is put back when they end. First of a
 * job's or step's listeners before it, last after it, so that theirs are named too.
 */
public final class LogContext implements JobExecutionListener, StepExecutionListener, Ordered {

    public static final String JOB = "job";
    public static final String JOB_EXECUTION_ID = "job_execution_id";
    public static final String STEP = "step";
    public static final String STEP_EXECUTION_ID = "step_execution_id";

    /** Job parameters that say whose work it is; never one that may hold a secret. */
    private static final String[] PARAMETERS = {"org", "campaign"};

    public static final LogContext INSTANCE = new LogContext();

    /** What each thread's MDC held before the job or step execution started, by the execution. */
    private final Map<Object, Map<String, String>> before = new ConcurrentHashMap<>();

    private LogContext() {}

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        enter(execution, execution);
    }

    @Override
    public void afterJob(JobExecution execution) {
        leave(execution);
    }

    @Override
    public void beforeStep(StepExecution execution) {
        enter(execution, execution.getJobExecution());
        MDC.put(STEP, execution.getStepName());
        MDC.put(STEP_EXECUTION_ID, String.valueOf(execution.getId()));
    }

    @Override
    public ExitStatus afterStep(StepExecution execution) {
        leave(execution);
        return null;
    }

    /** {@code task} run with the calling thread's MDC, for work a step hands to threads of its own. */
    public static <T> Callable<T> carried(Callable<T> task) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            set(context);
            try {
                return task.call();
            } finally {
                set(previous);
            }
        };
    }

    private void enter(Object execution, JobExecution job) {
        Map<String, String> previous = MDC.getCopyOfContextMap();
        before.put(key(execution), previous == null ? Map.of() : previous);
        MDC.put(JOB, job.getJobInstance().getJobName());
        MDC.put(JOB_EXECUTION_ID, String.valueOf(job.getId()));
        for (String name : PARAMETERS) {
            String value = job.getJobParameters().getString(name);
            if (value != null && !value.isBlank()) {
                MDC.put(name, value);
            }
        }
    }

    private void leave(Object execution) {
        set(before.remove(key(execution)));
    }

    /** Executions are told apart by their class and id: a job's and a step's ids may be equal. */
    private static Object key(Object execution) {
        return execution instanceof JobExecution job
                ? "job " + job.getId()
                : "step " + ((StepExecution) execution).getId();
    }

    private static void set(Map<String, String> context) {
        if (context == null || context.isEmpty()) {
            MDC.clear();
        } else {
            MDC.setContextMap(context);
        }
    }
}
