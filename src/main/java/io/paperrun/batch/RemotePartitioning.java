package io.paperrun.batch;

import java.nio.charset.StandardCharsets;
import javax.sql.DataSource;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.core.MessagingTemplate;

/**
 * Remote partitioning over an AMQP broker, when {@code PAPERRUN_BROKER_URL} names one and the database is a server
 * that other machines reach (the embedded one serves its own process alone). The launching process sends one
 * request per partition to a durable queue, each confirmed by the broker; {@code paperrun worker} processes take
 * them one at a time and acknowledge each once its partition has ended; the job repository says how each ended.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${paperrun.broker.url:}'.isBlank() and '${paperrun.database.embedded:false}' != 'true'")
public class RemotePartitioning {

    /** How long a partition request may wait for the broker's confirmation. */
    private static final long CONFIRM_MILLIS = 30_000;

    @Bean
    public CachingConnectionFactory brokerConnectionFactory(BrokerSettings settings) {
        CachingConnectionFactory connections = new CachingConnectionFactory(settings.uri());
        connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.SIMPLE);
        connections.setConnectionNameStrategy(factory -> "paperrun");
        return connections;
    }

    @Bean
    public RabbitAdmin brokerAdmin(ConnectionFactory brokerConnectionFactory) {
        return new RabbitAdmin(brokerConnectionFactory);
    }

    /** Declared by whichever process connects first. */
    @Bean
    public Queue partitionQueue(BrokerSettings settings) {
        return QueueBuilder.durable(settings.queue()).build();
    }

    @Bean
    public RabbitTemplate brokerTemplate(ConnectionFactory brokerConnectionFactory) {
        return new RabbitTemplate(brokerConnectionFactory);
    }

    @Bean
    public RemotePartitions remotePartitions(
            RabbitTemplate brokerTemplate, JobRepository jobRepository, BrokerSettings settings) {
        DirectChannel requests = new DirectChannel();
        requests.subscribe(
                message -> send(brokerTemplate, settings.queue(), (StepExecutionRequest) message.getPayload()));
        return new RemotePartitions(new MessagingTemplate(requests), jobRepository, settings);
    }

    @Bean
    public PartitionWorker partitionWorker(
            JobRepository jobRepository, DataSource dataSource, PartitionedSteps partitionedSteps) {
        return new PartitionWorker(jobRepository, dataSource, partitionedSteps);
    }

    /** Started by {@code paperrun worker} alone: a partition at a time per consumer, acknowledged when it ends. */
    @Bean
    public SimpleMessageListenerContainer partitionListener(
            ConnectionFactory brokerConnectionFactory, BrokerSettings settings, PartitionWorker partitionWorker) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(brokerConnectionFactory);
        container.setQueueNames(settings.queue());
        container.setConcurrentConsumers(settings.workerPartitions());
        container.setPrefetchCount(1);
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        container.setDefaultRequeueRejected(true);
        container.setShutdownTimeout(settings.workerDrain().toMillis());
        container.setAutoStartup(false);
        container.setMessageListener(partitionWorker);
        return container;
    }

    private static void send(RabbitTemplate template, String queue, StepExecutionRequest request) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setContentEncoding(StandardCharsets.UTF_8.name());
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        Message message = new Message(
                new PartitionRequest(request.getStepName(), request.getStepExecutionId()).json(), properties);
        template.invoke(channel -> {
            channel.send("", queue, message);
            channel.waitForConfirmsOrDie(CONFIRM_MILLIS);
            return null;
        });
    }
}
