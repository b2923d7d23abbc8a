package io.paperrun.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Map;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Spring Boot's structured log encoder ({@code ecs}, {@code logstash}, {@code gelf}), usable before the Spring
 * application starts too: until Boot gives logback the application's environment, the process's (its variables
 * and system properties) stands in, made at the first event, once logging is up.
 */
public class StructuredLogs extends StructuredLogEncoder {

    private volatile boolean ready;

    @Override
    public void start() {
        if (getContext().getObject(Environment.class.getName()) != null) {
            super.start();
            ready = true;
        } else {
            started = true; // the formatter is made at the first event
        }
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        if (!ready) {
            synchronized (this) {
                if (!ready) {
                    if (getContext().getObject(Environment.class.getName()) == null) {
                        getContext().putObject(Environment.class.getName(), processEnvironment());
                    }
                    super.start();
                    ready = true;
                }
            }
        }
        return super.encode(event);
    }

    private static Environment processEnvironment() {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addLast(new MapPropertySource("paperrun", Map.of("spring.application.name", "paperrun")));
        return environment;
    }
}
