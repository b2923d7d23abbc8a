package io.paperrun.cli;

import io.paperrun.PaperRun;
import io.paperrun.PaperRunApplication;
import io.paperrun.batch.BadSettingException;
import io.paperrun.database.EmbeddedDatabase;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

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

        StartupFailedException(String where, Throwable cause) {
            super(
                    "could not start (" + where + "): "
                            + unusableSetting(cause)
                                    .map(StartupFailedException::said)
                                    .orElseGet(() -> PaperRun.oneLine(cause)),
                    cause);
        }

        /** Whether a setting is what the application cannot run with (bad usage, not a failure to retry). */
        public boolean badSetting() {
            return unusableSetting(getCause()).isPresent() || badSettingIn(getCause());
        }

        private static boolean badSettingIn(Throwable failure) {
            for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
                if (t instanceof BadSettingException) {
                    return true;
                }
            }
            return false;
        }

        /** The failure to bind a setting, if that is what stopped the start. */
        private static Optional<BindException> unusableSetting(Throwable failure) {
            for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
                if (t instanceof BindException bind) {
                    return Optional.of(bind);
                }
            }
            return Optional.empty();
        }

        /**
         * What is wrong with the setting, named with its environment variable: {@code setting
         * paperrun.batch.chunk-size (PAPERRUN_BATCH_CHUNK_SIZE) must be at least 1, not 0}.
         */
        private static String said(BindException bind) {
            if (bind.getCause() instanceof BindValidationException invalid) {
                ValidationErrors errors = invalid.getValidationErrors();
                for (ObjectError error : errors) {
                    if (error instanceof FieldError field) {
                        return named(errors.getName().append(DataObjectPropertyName.toDashedForm(field.getField())))
                                + " " + field.getDefaultMessage() + ", not " + field.getRejectedValue();
                    }
                }
            }
            if (bind.getCause() instanceof ConversionFailedException conversion) {
                Class<?> type = conversion.getTargetType().getType();
                boolean whole = type == int.class || type == long.class || type == Integer.class || type == Long.class;
                return named(bind.getName()) + " must be " + (whole ? "a whole number" : "a " + type.getSimpleName())
                        + ", not \"" + conversion.getValue() + "\"";
            }
            return named(bind.getName()) + ": " + PaperRun.oneLine(bind);
        }

        /** A setting as the user may give it: {@code paperrun.batch.partitions (PAPERRUN_BATCH_PARTITIONS)}. */
        private static String named(ConfigurationPropertyName setting) {
            String name = setting.toString();
            return "setting " + name + " (" + name.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_") + ")";
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
            properties.put(
                    "paperrun.data-directory",
                    dataDir.toAbsolutePath().normalize().toString());
            EmbeddedDatabase embedded = null;
            String url = isSet(environment.get("SPRING_DATASOURCE_URL"))
                    ? environment.get("SPRING_DATASOURCE_URL")
                    : isSet(System.getProperty("spring.datasource.url"))
                            ? System.getProperty("spring.datasource.url")
                            : null;
            if (url == null) {
                embedded = EmbeddedDatabase.start(dataDir);
                properties.putAll(embedded.datasourceProperties());
                properties.put("paperrun.database.embedded", "true"); // serves this process alone: no workers
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
                throw new StartupFailedException(
                        url != null
                                ? "database " + withoutCredentials(url)
                                : "embedded database in "
                                        + dataDir.toAbsolutePath().normalize(),
                        e);
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
