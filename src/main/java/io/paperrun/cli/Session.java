package io.paperrun.cli;

import io.paperrun.PaperRunApplication;
import io.paperrun.batch.BatchSettings;
import io.paperrun.database.EmbeddedDatabase;
import org.springframework.beans.TypeMismatchException;
import org.springframework.beans.factory.UnsatisfiedDependencyException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The database and the Spring application, open for the length of one command. */
public interface Session extends AutoCloseable {

    <T> T bean(Class<T> type);

    @Override
    void close() throws Exception;

    /**
     * The application did not start (a setting it cannot use, a database it cannot reach): one line for the
     * user, naming the database and the cause; Spring's own report of it is not logged (logback.xml).
     */
    final class StartupFailedException extends RuntimeException {
        private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{([^:}]+)");

        StartupFailedException(String where, Throwable cause) {
            super("could not start (" + where + "): " + unusableSetting(cause)
                    .orElseGet(() -> io.paperrun.PaperRun.oneLine(cause)), cause);
        }

        /** Whether a setting is what the application cannot run with (bad usage, not a failure to retry). */
        public boolean badSetting() {
            if (unusableSetting(getCause()).isPresent()) {
                return true;
            }
            for (Throwable t = getCause(); t != null && t.getCause() != t; t = t.getCause()) {
                if (t instanceof BatchSettings.UnusableSettingException) {
                    return true;
                }
            }
            return false;
        }

        /**
         * A setting whose value cannot be converted ({@code PAPERRUN_BATCH_PARTITIONS=two}), named with its
         * environment variable: the root cause alone ({@code For input string: "two"}) names only the value.
         */
        static Optional<String> unusableSetting(Throwable failure) {
            String setting = null;
            for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
                if (setting == null && t instanceof UnsatisfiedDependencyException u && u.getInjectionPoint() != null) {
                    Value value = u.getInjectionPoint().getAnnotation(Value.class);
                    Matcher placeholder = value == null ? null : PLACEHOLDER.matcher(value.value());
                    if (placeholder != null && placeholder.find()) {
                        setting = placeholder.group(1);
                    }
                }
                if (setting != null && t instanceof TypeMismatchException mismatch) {
                    Class<?> type = mismatch.getRequiredType();
                    boolean whole = type == int.class || type == long.class || type == Integer.class
                            || type == Long.class;
                    String wanted = whole ? "a whole number"
                            : "a " + (type == null ? "value it can use" : type.getSimpleName());
                    return Optional.of(BatchSettings.describe(setting) + " must be " + wanted + ", not \""
                            + mismatch.getValue() + "\"");
                }
            }
            return Optional.empty();
        }
    }

    /** How a command opens its session. */
    @FunctionalInterface
    interface Opener {
        Session open(Path dataDir, Map<String, String> environment) throws Exception;

        /**
         * The product's: the server of {@code SPRING_DATASOURCE_URL} when it is set, else the
         * embedded PostgreSQL in the data directory.
         */
        Opener DEFAULT = (dataDir, environment) -> {
            Map<String, Object> properties = new HashMap<>();
            EmbeddedDatabase embedded = null;
            String url = isSet(environment.get("SPRING_DATASOURCE_URL")) ? environment.get("SPRING_DATASOURCE_URL")
                    : isSet(System.getProperty("spring.datasource.url")) ? System.getProperty("spring.datasource.url")
                    : null;
            if (url == null) {
                embedded = EmbeddedDatabase.start(dataDir);
                properties.putAll(embedded.datasourceProperties());
            }
            try {
                ConfigurableApplicationContext context = new SpringApplicationBuilder(PaperRunApplication.class)
                        .web(WebApplicationType.NONE)
                        // The command closes the context itself. Boot's hook would close the connection pool
                        // while the job's SIGTERM hook still needs it to stop at a chunk boundary.
                        .registerShutdownHook(false)
                        .properties(properties)
                        .run();
                EmbeddedDatabase database = embedded;
                return new Session() {
                    @Override
                    public <T> T bean(Class<T> type) {
                        return context.getBean(type);
                    }

                    @Override
                    public void close() throws Exception {
                        try {
                            context.close();
                        } finally {
                            if (database != null) {
                                database.close();
                            }
                        }
                    }
                };
            } catch (Error e) {
                if (embedded != null) {
                    embedded.close();
                }
                throw e;
            } catch (RuntimeException e) {
                if (embedded != null) {
                    embedded.close();
                }
                throw new StartupFailedException(url != null ? "database " + withoutCredentials(url)
                        : "embedded database in " + dataDir.toAbsolutePath().normalize(), e);
            }
        };

        /** A JDBC URL without what may carry a secret: its parameters and any user information. */
        static String withoutCredentials(String url) {
            String bare = url.replaceFirst("[?;].*$", "");
            return bare.replaceFirst("//[^/@]*@", "//");
        }

        private static boolean isSet(String value) {
            return value != null && !value.isBlank();
        }
    }
}
