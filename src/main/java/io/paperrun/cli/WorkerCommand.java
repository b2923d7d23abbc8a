package io.paperrun.cli;

import io.paperrun.PaperRun;
import io.paperrun.batch.BrokerSettings;
import io.paperrun.batch.PartitionWorker;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import picocli.CommandLine.Command;

@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Run the partitions that launching commands hand out through the broker, until stopped. Needs "
                    + "PAPERRUN_BROKER_URL (amqp://user:password@host:5672/vhost) and the database server the "
                    + "launching commands use (SPRING_DATASOURCE_URL); start as many workers, on as many machines, as "
                    + "you like.",
            "Each worker runs PAPERRUN_BROKER_WORKER_PARTITIONS partitions at a time (default 2). A worker that dies "
                    + "leaves its partitions to the others, which resume each from its last committed chunk.",
            "SIGTERM or Ctrl-C: it takes no more partitions, lets its running ones finish for "
                    + "PAPERRUN_BROKER_WORKER_DRAIN (default PT90S), hands back any still running to the other "
                    + "workers, and exits (143, as SIGTERM ends a process)."
        })
public class WorkerCommand implements Callable<Integer> {

    /** How a process stopped by SIGTERM ends: 128 + 15. */
    static final int SIGTERM_EXIT = 143;

    /** A worker's metrics go to a push-gateway group of its own ({@code MetricsPush}). */
    private static final String METRICS_INSTANCE = "paperrun.metrics.instance";

    private final PaperRun paperRun;

    public WorkerCommand(PaperRun paperRun) {
        this.paperRun = paperRun;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = paperRun.err();
        if (!paperRun.databaseServer()) {
            err.println("paperrun worker: needs the database server the launching commands use "
                    + "(SPRING_DATASOURCE_URL); the embedded database serves one process alone");
            return ExitCode.BAD_INPUT;
        }
        if (System.getProperty(METRICS_INSTANCE) == null && paperRun.setting("PAPERRUN_METRICS_INSTANCE") == null) {
            System.setProperty(
                    METRICS_INSTANCE, "worker-" + InetAddress.getLocalHost().getHostName());
        }
        try (Session session = paperRun.open()) {
            BrokerSettings broker = session.bean(BrokerSettings.class);
            if (!broker.configured()) {
                err.println("paperrun worker: PAPERRUN_BROKER_URL is not set: a worker takes its partitions from the "
                        + "broker the launching commands hand them to");
                return ExitCode.BAD_INPUT;
            }
            SimpleMessageListenerContainer listener;
            PartitionWorker worker;
            try {
                listener = session.bean(SimpleMessageListenerContainer.class);
                worker = session.bean(PartitionWorker.class);
            } catch (NoSuchBeanDefinitionException e) {
                err.println("paperrun worker: no broker in use");
                return ExitCode.BAD_INPUT;
            }
            PrintWriter out = paperRun.out();
            say(
                    out,
                    "worker: taking partitions from queue " + broker.queue() + " at " + where(broker.uri()) + ", "
                            + broker.workerPartitions() + " at a time; stop with SIGTERM or Ctrl-C");
            CountDownLatch stopped = new CountDownLatch(1);
            CountDownLatch ended = new CountDownLatch(1);
            Thread stopper = new Thread(
                    () -> {
                        say(
                                out,
                                "worker: stopping: no more partitions; letting the running ones finish for "
                                        + broker.workerDrain());
                        worker.stopping();
                        listener.stop();
                        Set<Long> left = worker.running();
                        if (!left.isEmpty()) {
                            say(
                                    out,
                                    "worker: handing back step executions " + left
                                            + " to the other workers, at their last committed chunk");
                            Runtime.getRuntime().halt(SIGTERM_EXIT); // as the signal would have ended it
                        }
                        stopped.countDown();
                        try {
                            ended.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "worker-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                listener.start();
                stopped.await();
                say(out, "worker: stopped");
            } finally {
                ended.countDown();
            }
            return ExitCode.OK;
        }
    }

    /** The broker's host, port and virtual host, never its user or password. */
    static String where(URI broker) {
        int port = broker.getPort() > 0 ? broker.getPort() : "amqps".equals(broker.getScheme()) ? 5671 : 5672;
        String vhost = broker.getPath() == null || broker.getPath().isEmpty() ? "/" : broker.getPath();
        return broker.getHost() + ":" + port + vhost;
    }

    private static void say(PrintWriter out, String line) {
        out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
        out.flush();
    }
}
