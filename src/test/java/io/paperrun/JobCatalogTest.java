package io.paperrun;

import static io.paperrun.PaperRunJobs.CATALOG;
import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.batch.JobCatalog;
import io.paperrun.batch.JobDefinition;
import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.step.StepLocator;

/** The job catalog against the interface spec's job names and against the application's Job beans. */
class JobCatalogTest extends DatabaseTest {

    /** The interface spec, beside the project when it is checked out with the shared documents. */
    private static final Path INTERFACE = Path.of("../shared/spec/interface.md");

    /** The job names of the interface spec ("Job names: ..."), for a checkout without the shared documents. */
    private static final List<String> SPEC_JOBS = List.of(
            "recipient-sync",
            "address-enrichment",
            "proofing",
            "mailing",
            "delivery-tracking",
            "order-sync",
            "attribution-processing",
            "attribution-rerun",
            "experiment-report");

    /**
     * The jobs behind a command of the interface that its list of job names does not name: each is listed by
     * {@code run --help} and {@code executions}, restartable as every import, beside the interface's jobs.
     */
    private static final List<String> INTERNAL_JOBS = List.of("do-not-mail-import", "code-import");

    @Test
    void theListedJobNamesAreThoseOfTheInterfaceSpec() throws IOException {
        if (Files.exists(INTERFACE)) {
            assertThat(jobNamesOf(Files.readString(INTERFACE))).containsExactlyInAnyOrderElementsOf(SPEC_JOBS);
        }
    }

    @Test
    void everyJobOfTheInterfaceHasAnEntryAndNoOtherHasButTheInternalOnes() {
        assertThat(INTERNAL_JOBS).doesNotContainAnyElementsOf(SPEC_JOBS);
        assertThat(CATALOG.names())
                .containsExactlyInAnyOrderElementsOf(Stream.concat(SPEC_JOBS.stream(), INTERNAL_JOBS.stream())
                        .toList());
        INTERNAL_JOBS.forEach(job -> assertThat(CATALOG.find(job))
                .as("internal job %s", job)
                .hasValueSatisfying(entry -> assertThat(entry.available()).isTrue()));
    }

    @Test
    void everyAvailableEntryIsAJobWithItsMainStep() {
        Map<String, Job> jobs = jobBeans();
        for (JobDefinition entry : CATALOG.available()) {
            assertThat(jobs).as("the Job bean of %s", entry.name()).containsKey(entry.name());
            assertThat(entry.mainStep()).as("%s's main step", entry.name()).isNotNull();
            assertThat(jobs.get(entry.name())).isInstanceOf(StepLocator.class);
            assertThat(((StepLocator) jobs.get(entry.name())).getStep(entry.mainStep()))
                    .as("%s's step %s", entry.name(), entry.mainStep())
                    .isNotNull();
        }
    }

    @Test
    void everyJobIsAnAvailableEntry() {
        assertThat(jobBeans().keySet())
                .as("the Job beans' names")
                .containsExactlyInAnyOrderElementsOf(CATALOG.availableNames());
    }

    @Test
    void theApplicationReadsTheSameCatalog() {
        assertThat(context.getBean(JobCatalog.class)).isSameAs(CATALOG);
    }

    @Test
    void runsHelpListsEveryEntry() {
        Cli.Result help = cli().run("run", "--help");
        assertThat(help.exitCode()).isZero();
        for (JobDefinition entry : CATALOG.available()) {
            StringBuilder usage = new StringBuilder("  " + entry.name());
            entry.parameters().forEach(p -> usage.append(' ').append(p.usage()));
            assertThat(help.out()).as("run --help").contains(usage.toString()).contains(entry.description());
        }
        if (CATALOG.comingLater().isEmpty()) {
            assertThat(help.out()).doesNotContain("Not yet available:");
            return;
        }
        String later = String.join(
                " ",
                help.out().substring(help.out().indexOf("Not yet available:")).split("\\s+"));
        CATALOG.comingLater().forEach(entry -> assertThat(later).contains(entry.name()));
    }

    private Map<String, Job> jobBeans() {
        Map<String, Job> jobs = new HashMap<>();
        context.getBeansOfType(Job.class).values().forEach(job -> jobs.put(job.getName(), job));
        return jobs;
    }

    /** The names in backquotes of the sentence "Job names: ...", without the parameters in parentheses. */
    private static List<String> jobNamesOf(String spec) {
        Matcher sentence =
                Pattern.compile("Job names:(.*?`)\\.", Pattern.DOTALL).matcher(spec);
        assertThat(sentence.find()).as("the spec's sentence 'Job names: ...'").isTrue();
        String names = sentence.group(1).replaceAll("\\([^)]*\\)", "");
        Matcher quoted = Pattern.compile("`([a-z-]+)`").matcher(names);
        TreeSet<String> found = new TreeSet<>();
        while (quoted.find()) {
            found.add(quoted.group(1));
        }
        return List.copyOf(found);
    }
}
