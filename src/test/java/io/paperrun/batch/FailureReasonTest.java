package io.paperrun.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureReasonTest {

    @Test
    void aStoredReasonIsItsFirstLine() {
        assertThat(
                        FailureReason.summary(
                                "ERROR: injected failure\norg.springframework.batch.core.job"
                                        + ".JobExecutionException: Partition handler returned an unsuccessful step\n\tat x.y(Z.java:1)"))
                .isEqualTo("ERROR: injected failure");
        assertThat(FailureReason.summary("JobExecution interrupted.")).isEqualTo("JobExecution interrupted.");
    }

    @Test
    void aBareStackTraceSaysItsLastCause() {
        assertThat(FailureReason.summary("""
                        org.springframework.batch.core.step.FatalStepExecutionException: Unable to process chunk
                        \tat org.springframework.batch.core.step.item.ChunkOrientedStep.process(ChunkOrientedStep.java:791)
                        Caused by: java.lang.IllegalStateException: unknown organization 'acme'
                        \tat io.paperrun.order.OrderSyncJobConfig.organization(OrderSyncJobConfig.java:1)
                        Caused by: org.postgresql.util.PSQLException: ERROR: injected failure
                          Where: PL/pgSQL function inject_failure() line 1 at RAISE
                        \tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2733)
                        """)).isEqualTo("ERROR: injected failure");
        assertThat(FailureReason.summary("java.lang.NullPointerException\n\tat a.b.C.d(C.java:1)"))
                .isEqualTo("NullPointerException");
    }

    @Test
    void noDescriptionIsEmpty() {
        assertThat(FailureReason.summary(null)).isEmpty();
        assertThat(FailureReason.summary(" ")).isEmpty();
    }
}
