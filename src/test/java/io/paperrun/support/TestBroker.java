package io.paperrun.support;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.server.SystemLauncher;

/**
 * The AMQP broker of the test run: the RabbitMQ on 127.0.0.1:5672 (guest/guest) when one answers, else Apache Qpid
 * Broker-J started in this JVM on a free port, so that the remote path runs on a machine with only a JDK.
 * {@code PAPERRUN_TEST_BROKER=rabbitmq} requires the RabbitMQ (CI), {@code =embedded} takes Qpid even where RabbitMQ
 * answers.
 */
public final class TestBroker {

    private static final String RABBITMQ = "amqp://guest:guest@127.0.0.1:5672";

    private static String url;
    private static String kind;

    private TestBroker() {}

    /** The broker's AMQP URL, the broker started first if needed. */
    public static synchronized String url() {
        if (url == null) {
            String wanted = System.getenv().getOrDefault("PAPERRUN_TEST_BROKER", "auto");
            if (!wanted.equals("embedded") && answers(RABBITMQ)) {
                url = RABBITMQ;
                kind = "RabbitMQ at 127.0.0.1:5672";
            } else if (wanted.equals("rabbitmq")) {
                throw new IllegalStateException(
                        "PAPERRUN_TEST_BROKER=rabbitmq, but no RabbitMQ answers at 127.0.0.1:5672 (guest/guest)");
            } else {
                url = startQpid();
                kind = "Qpid Broker-J in the test JVM at " + url.substring(url.lastIndexOf('@') + 1);
            }
            System.out.println("test broker: " + kind);
        }
        return url;
    }

    /** Which broker {@link #url} is: {@code RabbitMQ at ...} or {@code Qpid Broker-J in the test JVM at ...}. */
    public static synchronized String kind() {
        url();
        return kind;
    }

    /** Something done on a channel of the test broker. */
    @FunctionalInterface
    public interface ChannelWork {
        void on(Channel channel) throws Exception;
    }

    /** Does {@code work} on a channel of its own, then closes it and its connection. */
    public static void onChannel(ChannelWork work) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(url());
        try (Connection connection = factory.newConnection("paperrun-test");
                Channel channel = connection.createChannel()) {
            work.on(channel);
        }
    }

    /** A queue name of its own, for a test whose processes share the broker with other tests and runs. */
    public static String queue() {
        return "paperrun.test." + UUID.randomUUID();
    }

    private static boolean answers(String amqp) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(amqp);
            factory.setConnectionTimeout(2_000);
            try (Connection connection = factory.newConnection("paperrun-test-probe")) {
                return connection.isOpen();
            }
        } catch (Exception e) {
            return false;
        }
    }

    private static String startQpid() {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path work = Files.createTempDirectory("paperrun-test-qpid");
            Map<String, Object> attributes = new HashMap<>();
            attributes.put("type", "Memory");
            attributes.put(
                    "initialConfigurationLocation",
                    TestBroker.class.getResource("qpid-broker.json").toExternalForm());
            attributes.put("startupLoggedToSystemOut", false);
            attributes.put(
                    "context",
                    Map.of(
                            "qpid.amqp_port", String.valueOf(port),
                            "qpid.work_dir", work.toString(),
                            "qpid.home_dir", work.toString()));
            SystemLauncher launcher = new SystemLauncher();
            launcher.startup(attributes);
            Runtime.getRuntime().addShutdownHook(new Thread(launcher::shutdown));
            String started = "amqp://guest:guest@127.0.0.1:" + port;
            if (!answers(started)) {
                throw new IllegalStateException("Qpid Broker-J started but does not answer on port " + port);
            }
            return started;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not start Qpid Broker-J: " + e.getMessage(), e);
        }
    }
}
