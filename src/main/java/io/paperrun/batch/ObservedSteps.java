package io.paperrun.batch;

import io.micrometer.observation.ObservationRegistry;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.partition.PartitionStep;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Every job and step the application declares, and the worker step of each partitioned step (which is not a bean
 * of its own), puts its ids in the logging MDC ({@link LogContext}); the workers are also observed like the steps
 * Spring Boot gives the {@link ObservationRegistry} to, when there is one (metrics are pushed: {@link MetricsPush}).
 */
@Component
public class ObservedSteps implements BeanPostProcessor {

    private final ObjectProvider<ObservationRegistry> observations;
    private final Set<Object> done = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    public ObservedSteps(ObjectProvider<ObservationRegistry> observations) {
        this.observations = observations;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Object target = AopProxyUtils.getSingletonTarget(bean);
        Object object = target != null ? target : bean;
        if (object instanceof AbstractJob job && done.add(job)) {
            job.registerJobExecutionListener(LogContext.INSTANCE);
        }
        if (object instanceof AbstractStep step) {
            step(step);
            if (step instanceof PartitionStep partitioned
                    && Partitions.worker(partitioned).orElse(null) instanceof AbstractStep worker
                    && worker != step) {
                step(worker);
                ObservationRegistry registry = observations.getIfAvailable();
                if (registry != null) {
                    worker.setObservationRegistry(registry);
                }
            }
        }
        return bean;
    }

    private void step(AbstractStep step) {
        if (done.add(step)) {
            step.registerStepExecutionListener(LogContext.INSTANCE);
        }
    }
}
