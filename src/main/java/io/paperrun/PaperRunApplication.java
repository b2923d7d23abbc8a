package io.paperrun;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring application behind every command. It is started by {@link PaperRun}
 * once the command line has been parsed, never by Boot's own runner.
 */
@SpringBootApplication
public class PaperRunApplication {
}
