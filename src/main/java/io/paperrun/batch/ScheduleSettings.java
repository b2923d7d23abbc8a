package io.paperrun.batch;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Each job's cadence for {@code paperrun scheduler}: its setting {@code paperrun.schedule.JOB} (environment
 * {@code PAPERRUN_SCHEDULE_JOB}) when given, else the catalog's default. Jobs that need parameters (a file, a date
 * range) cannot be scheduled.
 */
public final class ScheduleSettings {

    private ScheduleSettings() {}

    /** A setting that cannot be used, named as the user wrote it. */
    public static final class BadScheduleException extends IllegalArgumentException {
        BadScheduleException(String message) {
            super(message);
        }
    }

    /** The environment variable of a job's setting, e.g. {@code PAPERRUN_SCHEDULE_ORDER_SYNC}. */
    public static String variable(String job) {
        return "PAPERRUN_SCHEDULE_" + job.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * The cadences of the catalog's jobs, in its order, off ones included.
     *
     * @param setting a job's setting by property name ({@code paperrun.schedule.JOB}), or null when not set
     */
    public static Map<String, Cadence> resolve(JobCatalog catalog, Function<String, String> setting) {
        Map<String, Cadence> cadences = new LinkedHashMap<>();
        for (JobDefinition job : catalog.available()) {
            String value = setting.apply("paperrun.schedule." + job.name());
            Cadence cadence;
            if (value == null || value.isBlank()) {
                cadence = job.schedule();
            } else {
                try {
                    cadence = Cadence.parse(value);
                } catch (IllegalArgumentException e) {
                    throw new BadScheduleException(variable(job.name()) + ": " + e.getMessage());
                }
            }
            boolean needsParameters = job.parameters().stream().anyMatch(JobDefinition.Parameter::required);
            if (needsParameters && !(cadence instanceof Cadence.Off)) {
                throw new BadScheduleException(variable(job.name()) + ": " + job.name() + " cannot be scheduled: it "
                        + "needs parameters (run it with paperrun run)");
            }
            if (cadence instanceof Cadence.After after
                    && catalog.find(after.job())
                            .filter(JobDefinition::available)
                            .isEmpty()) {
                throw new BadScheduleException(variable(job.name()) + ": no job " + after.job() + " to run after");
            }
            cadences.put(job.name(), cadence);
        }
        return cadences;
    }
}
