package io.paperrun.batch;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.item.ChunkOrientedStep;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Registers {@link ProgressLines} on every chunk step the application declares, and on each partitioned step
 * ({@link Partitions#of}) and the worker step its partitions run, so that no job configuration has to.
 */
@Component
public class ProgressRegistrar implements BeanPostProcessor {

    private final ObjectProvider<ProgressLines> progress;
    private final Set<Step> registered =
            Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    public ProgressRegistrar(ObjectProvider<ProgressLines> progress) {
        this.progress = progress;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof Step step) {
            register(step);
        }
        return bean;
    }

    @SuppressWarnings("unchecked")
    private void register(Step step) {
        if (!registered.add(step)) {
            return;
        }
        if (step instanceof ChunkOrientedStep<?, ?> chunks) {
            ProgressLines lines = progress.getObject();
            ((ChunkOrientedStep<Object, Object>) chunks).registerChunkListener(lines);
            chunks.registerStepExecutionListener(lines);
        } else if (step instanceof AbstractStep partitioned
                && Partitions.worker(step).isPresent()) {
            partitioned.registerStepExecutionListener(progress.getObject());
            register(Partitions.worker(step).get());
        }
    }
}
