package io.paperrun.batch;

import java.util.OptionalLong;
import org.springframework.batch.core.step.StepExecution;

/**
 * How many items a step has to do, counted as it starts for the steps where that is cheap, so that its progress
 * lines can say when it will end. A stage declares its steps' as a bean.
 */
public interface StepTotals {

    /** The items {@code step} (a whole step, not a partition) has to do in this execution, if these count it. */
    OptionalLong of(StepExecution step);
}
