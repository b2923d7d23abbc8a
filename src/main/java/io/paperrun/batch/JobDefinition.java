package io.paperrun.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job's entry in the job catalog, declared by its configuration: its name, the parameters it takes, whether a
 * completed run is repeated, the group it runs one at a time in, and its main step, whose counts are the job's.
 */
public record JobDefinition(
        String name,
        String description,
        List<Parameter> parameters,
        Repeat repeat,
        Optional<RunGroup> group,
        String mainStep,
        Availability availability,
        Cadence schedule) {

    /** What launching a key whose last run completed does. */
    public enum Repeat {
        /** Nothing: the run is done (a file import). */
        ONE_SHOT,
        /** A new run, as a new job instance (processing, re-runs). */
        REPEATABLE,
        /**
         * A sync: a new run at every launch, even after a failed one, which stays restartable (its progress is in
         * the sync's checkpoints); but a launch that imports a file (its file parameter) is {@link #ONE_SHOT}.
         */
        SYNC
    }

    /** Whether this version can run the job. */
    public enum Availability {
        THIS_VERSION,
        COMING_LATER
    }

    /** Whether a job parameter must be given. */
    public enum Need {
        REQUIRED,
        OPTIONAL
    }

    /**
     * A job parameter, {@code name=value}; {@code value} says what it holds (SLUG, DATE, F.csv). A file to
     * import names its format ({@code orders}, {@code recipients}), whose header is checked before any launch.
     */
    public record Parameter(String name, String value, Need need, Optional<String> fileFormat) {

        public static Parameter required(String name, String value) {
            return new Parameter(name, value, Need.REQUIRED, Optional.empty());
        }

        public static Parameter optional(String name, String value) {
            return new Parameter(name, value, Need.OPTIONAL, Optional.empty());
        }

        /** A required CSV file to import, in the file format {@code format} of the interface. */
        public static Parameter file(String name, String format) {
            return new Parameter(name, "F.csv", Need.REQUIRED, Optional.of(format));
        }

        /** An optional CSV file to import, in the file format {@code format}: without it, the job reads elsewhere. */
        public static Parameter optionalFile(String name, String format) {
            return new Parameter(name, "F.csv", Need.OPTIONAL, Optional.of(format));
        }

        public boolean required() {
            return need == Need.REQUIRED;
        }

        /** As the usage shows it: {@code org=SLUG}, or {@code [org=SLUG]} when optional. */
        public String usage() {
            return required() ? name + "=" + value : "[" + name + "=" + value + "]";
        }
    }

    public JobDefinition {
        parameters = List.copyOf(parameters);
    }

    /** A job of this version, one-shot, with no parameter, no group and no main step until they are said. */
    public static JobDefinition job(String name, String description) {
        return new JobDefinition(
                name,
                description,
                List.of(),
                Repeat.ONE_SHOT,
                Optional.empty(),
                null,
                Availability.THIS_VERSION,
                new Cadence.Off());
    }

    /** A job of the interface that this version does not have yet. */
    public static JobDefinition comingLater(String name) {
        return new JobDefinition(
                name,
                "",
                List.of(),
                Repeat.ONE_SHOT,
                Optional.empty(),
                null,
                Availability.COMING_LATER,
                new Cadence.Off());
    }

    /** This entry, taking these parameters; the required ones first, as the usage shows them. */
    public JobDefinition taking(Parameter... taken) {
        List<Parameter> ordered = new ArrayList<>();
        for (Parameter p : taken) {
            if (p.required()) {
                ordered.add(p);
            }
        }
        for (Parameter p : taken) {
            if (!p.required()) {
                ordered.add(p);
            }
        }
        return new JobDefinition(name, description, ordered, repeat, group, mainStep, availability, schedule);
    }

    /** This entry, run again as a new instance when launched with a key that completed. */
    public JobDefinition repeatable() {
        return new JobDefinition(
                name, description, parameters, Repeat.REPEATABLE, group, mainStep, availability, schedule);
    }

    /** This entry, a sync ({@link Repeat#SYNC}). */
    public JobDefinition syncing() {
        return new JobDefinition(name, description, parameters, Repeat.SYNC, group, mainStep, availability, schedule);
    }

    /** This entry, run one at a time with the other jobs of {@code runGroup}. */
    public JobDefinition oneAtATimeIn(RunGroup runGroup) {
        return new JobDefinition(
                name, description, parameters, repeat, Optional.of(runGroup), mainStep, availability, schedule);
    }

    /** This entry, whose counts are those of its step {@code step}. */
    public JobDefinition countedBy(String step) {
        return new JobDefinition(name, description, parameters, repeat, group, step, availability, schedule);
    }

    /** This entry, launched by {@code paperrun scheduler} on {@code cadence} unless its setting says otherwise. */
    public JobDefinition scheduled(Cadence cadence) {
        return new JobDefinition(name, description, parameters, repeat, group, mainStep, availability, cadence);
    }

    public boolean available() {
        return availability == Availability.THIS_VERSION;
    }

    /** Whether a launch with {@code parameters} (names and values) whose key completed runs again. */
    public boolean repeatsWhenCompleted(Map<String, ?> parameters) {
        return switch (repeat) {
            case ONE_SHOT -> false;
            case REPEATABLE -> true;
            case SYNC -> !importsFile(parameters);
        };
    }

    /** Whether a launch with {@code parameters} whose key's last run failed or stopped restarts that run. */
    public boolean restartsWhenFailed(Map<String, ?> parameters) {
        return repeat != Repeat.SYNC || importsFile(parameters);
    }

    /** Whether a launch with {@code parameters} imports a file: it takes one and it is given. */
    public boolean importsFile(Map<String, ?> parameters) {
        return fileToImport().map(p -> parameters.get(p.name()) != null).orElse(false);
    }

    /** The parameter {@code name}, if the job takes it. */
    public Optional<Parameter> parameter(String parameterName) {
        return parameters.stream().filter(p -> p.name().equals(parameterName)).findFirst();
    }

    /** The file the job imports, whose lines its main step counts; empty for a job that takes none. */
    public Optional<Parameter> fileToImport() {
        return parameters.stream().filter(p -> p.fileFormat().isPresent()).findFirst();
    }
}
