package io.paperrun.batch;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every job of the interface, in the order of its entries: those of this version and those still to come.
 * Plain Java, so that the command line reads it before the application starts.
 */
public record JobCatalog(List<JobDefinition> entries) {

    public JobCatalog {
        entries = List.copyOf(entries);
        Set<String> names = new HashSet<>();
        for (JobDefinition entry : entries) {
            if (!names.add(entry.name())) {
                throw new IllegalArgumentException("two catalog entries for job " + entry.name());
            }
        }
    }

    public Optional<JobDefinition> find(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The jobs this version runs. */
    public List<JobDefinition> available() {
        return entries.stream().filter(JobDefinition::available).toList();
    }

    /** The jobs still to come. */
    public List<JobDefinition> comingLater() {
        return entries.stream().filter(e -> !e.available()).toList();
    }

    /** Every job's name, sorted. */
    public List<String> names() {
        return entries.stream().map(JobDefinition::name).sorted().toList();
    }

    /** The names of the jobs this version runs, sorted. */
    public List<String> availableNames() {
        return available().stream().map(JobDefinition::name).sorted().toList();
    }

    /** The groups of jobs that run one at a time, in the order of their first member. */
    public List<RunGroup> groups() {
        return entries.stream().flatMap(e -> e.group().stream()).distinct().toList();
    }

    /** The names of the group's jobs, in the order of their entries. */
    public List<String> members(RunGroup group) {
        return entries.stream()
                .filter(e -> e.group().filter(group::equals).isPresent())
                .map(JobDefinition::name)
                .toList();
    }

    /** Each job of this version that has a main step, to that step. */
    public Map<String, String> mainSteps() {
        Map<String, String> steps = new LinkedHashMap<>();
        available().stream().filter(e -> e.mainStep() != null).forEach(e -> steps.put(e.name(), e.mainStep()));
        return steps;
    }
}
