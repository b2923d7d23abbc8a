package io.paperrun.support;

import io.paperrun.PaperRun;
import io.paperrun.cli.Session;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.springframework.context.ApplicationContext;

/**
 * The real command line ({@link PaperRun}), run in the test's process: parsing,
 * commands, job launches and exit codes as in production, with the session
 * opened on the test's application context instead of a new one per command.
 */
public final class Cli {

    private final ApplicationContext context;

    Cli(ApplicationContext context) {
        this.context = context;
    }

    /** What a command printed and returned. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Session.Opener opener = (dataDir, environment) -> new Session() {
            @Override
            public <T> T bean(Class<T> type) {
                return context.getBean(type);
            }

            @Override
            public void close() {
                // The test context outlives the command.
            }
        };
        int code = new PaperRun(Map.of(), opener, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
