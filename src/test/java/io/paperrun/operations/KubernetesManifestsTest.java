package io.paperrun.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.paperrun.PaperRunJobs;
import io.paperrun.batch.JobDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Kubernetes manifests of {@code jobs-config/kubernetes} and the Dockerfile they name: a CronJob per scheduled
 * job of the catalog, each a complete batch Job (deadlines, retries, resources, settings, secrets, a user not
 * root), the Deployment of {@code paperrun worker} that runs their partitions, the one-off Job templates, and a
 * kustomization that lists what is there.
 */
class KubernetesManifestsTest {

    private static final Path DIRECTORY = Path.of("jobs-config", "kubernetes");
    private static final Path TEMPLATES = DIRECTORY.resolve("templates");
    private static final Path KUSTOMIZATION = DIRECTORY.resolve("kustomization.yaml");
    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path DOCKERIGNORE = Path.of(".dockerignore");

    /** The jobs run by a command rather than on a schedule: the imports behind two commands, and finance's re-run. */
    private static final Set<String> UNSCHEDULED = Set.of("code-import", "do-not-mail-import", "attribution-rerun");

    /**
     * The slowest chunk a job commits, in seconds: mailing's 100 postcards paced at IntelliPrint's 25 every 15.5 s
     * ({@code docs/performance.md}). A pod's grace period after SIGTERM must outlast it.
     */
    private static final int SLOWEST_CHUNK_SECONDS = 62;

    /** What stopping takes beside the chunk: the step's last commit, the launch report, the JVM's shutdown. */
    private static final int STOPPING_SECONDS = 30;

    /** The node the pods are sized for. */
    private static final double NODE_CORES = 2;

    private static final long MEBIBYTE = 1024L * 1024;

    /** The largest memory limit of a pod: two of them and the system fit a small 2-core node. */
    private static final long MAX_MEMORY_LIMIT = 2048 * MEBIBYTE;

    /** Memory a JVM uses beside its heap: metaspace, code cache, threads' stacks, PDF rendering's native memory. */
    private static final long BESIDE_HEAP = 512 * MEBIBYTE;

    /**
     * What a stopped worker needs beside its drain ({@code PAPERRUN_BROKER_WORKER_DRAIN}) before the kubelet's
     * SIGKILL: handing back its partitions, the JVM's exit.
     */
    private static final int WORKER_EXIT_SECONDS = 15;

    /** The placeholder every value of a Secret in the repository holds. */
    private static final String PLACEHOLDER = "REPLACE_ME";

    private static final Pattern RUN = Pattern.compile("(?<![\\w-])paperrun run ([a-z][a-z0-9-]*)");

    private static List<Manifest> manifests;
    private static JsonNode kustomization;

    /** One document of a YAML file. */
    record Manifest(Path file, JsonNode node) {

        String kind() {
            return node.path("kind").asString("");
        }

        String name() {
            JsonNode metadata = node.path("metadata");
            return metadata.path("name").asString(metadata.path("generateName").asString(""));
        }

        JsonNode at(String pointer) {
            return node.at(pointer);
        }

        boolean isTemplate() {
            return file.startsWith(TEMPLATES);
        }

        @Override
        public String toString() {
            return DIRECTORY.relativize(file) + " (" + kind() + " " + name() + ")";
        }
    }

    @BeforeAll
    static void readManifests() throws IOException {
        YAMLMapper yaml = YAMLMapper.builder().build();
        List<Manifest> read = new ArrayList<>();
        for (Path file : yamlFiles(DIRECTORY, Integer.MAX_VALUE)) {
            List<JsonNode> documents = yaml.readerFor(JsonNode.class)
                    .<JsonNode>readValues(Files.readString(file))
                    .readAll();
            for (JsonNode document : documents) {
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    read.add(new Manifest(file, document));
                }
            }
        }
        manifests = read;
        kustomization = manifests.stream()
                .filter(m -> m.file().equals(KUSTOMIZATION))
                .findFirst()
                .map(Manifest::node)
                .orElseThrow(() -> new AssertionError(KUSTOMIZATION + " is missing"));
    }

    @Test
    void everyManifestSaysWhatItIs() {
        Problems problems = new Problems();
        for (Path file : yamlFiles(DIRECTORY, Integer.MAX_VALUE)) {
            problems.check(manifests.stream().anyMatch(m -> m.file().equals(file)), file + " holds no document");
        }
        for (Manifest m : manifests) {
            problems.text(m, "/apiVersion");
            problems.text(m, "/kind");
            problems.check(
                    !m.name().isEmpty() || m.kind().equals("Kustomization"),
                    m + ": /metadata/name (or generateName) is missing");
        }
        problems.assertNone();
    }

    @Test
    void theKustomizationListsEveryManifestBesideItAndNoTemplate() {
        Set<String> listed = new TreeSet<>();
        kustomization.path("resources").values().forEach(r -> listed.add(r.asString()));
        Set<String> beside = yamlFiles(DIRECTORY, 1).stream()
                .filter(f -> !f.equals(KUSTOMIZATION))
                .map(f -> DIRECTORY.relativize(f).toString())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed)
                .as(
                        "the resources of %s against the manifests beside it (templates/ excepted: applying a Job"
                                + " runs it)",
                        KUSTOMIZATION)
                .containsExactlyInAnyOrderElementsOf(beside);
        assertThat(kustomization.path("namespace").asString("")).isEqualTo("paperrun");
        JsonNode images = kustomization.path("images");
        assertThat(images.size()).as("%s: one image in images", KUSTOMIZATION).isEqualTo(1);
        assertThat(images.get(0).path("name").asString("")).isNotEmpty();
        assertThat(images.get(0).path("newName").asString("")).isNotEmpty();
        assertThat(images.get(0).path("newTag").asString("")).isNotEmpty();
    }

    @Test
    void everyScheduledJobOfTheCatalogHasOneCronJobRunningIt() {
        Set<String> available = PaperRunJobs.CATALOG.available().stream()
                .map(JobDefinition::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(available).containsAll(UNSCHEDULED);
        Map<String, List<String>> cronJobsByJob = new TreeMap<>();
        for (Manifest cronJob : cronJobs()) {
            Matcher run = RUN.matcher(commandLine(cronJob.at("/spec/jobTemplate/spec/template/spec")));
            while (run.find()) {
                cronJobsByJob
                        .computeIfAbsent(run.group(1), j -> new ArrayList<>())
                        .add(cronJob.name());
            }
        }
        Set<String> scheduled = new TreeSet<>(available);
        scheduled.removeAll(UNSCHEDULED);
        assertThat(cronJobsByJob.keySet())
                .as("the jobs the CronJobs run (`paperrun run JOB`) against the catalog's scheduled jobs")
                .containsExactlyInAnyOrderElementsOf(scheduled);
        cronJobsByJob.forEach((job, cronJobs) ->
                assertThat(cronJobs).as("the CronJobs that run %s", job).hasSize(1));
    }

    @Test
    void everyCronJobIsACompleteBatchJob() {
        Problems problems = new Problems();
        assertThat(cronJobs()).isNotEmpty();
        for (Manifest cronJob : cronJobs()) {
            problems.equal(cronJob, "/apiVersion", "batch/v1");
            problems.check(
                    cronJob.at("/spec/schedule").asString("").trim().split("\\s+").length == 5,
                    cronJob + ": /spec/schedule is not a cron expression of five fields");
            problems.equal(cronJob, "/spec/concurrencyPolicy", "Forbid");
            // The controller looks every 10 s: a shorter deadline may skip every tick.
            problems.atLeast(cronJob, "/spec/startingDeadlineSeconds", 10);
            problems.atLeast(cronJob, "/spec/jobTemplate/spec/activeDeadlineSeconds", 1);
            problems.atLeast(cronJob, "/spec/jobTemplate/spec/backoffLimit", 0);
            problems.failsAtOnceOn(cronJob, "/spec/jobTemplate/spec", 2, 3);
            problems.pod(cronJob, "/spec/jobTemplate/spec/template/spec", image());
        }
        problems.assertNone();
    }

    /**
     * The workers that run the CronJobs' partitions: a Deployment of {@code paperrun worker}, in the CronJobs'
     * image, with their settings, the broker's URL from their Secret, their data volume (ReadWriteMany: several
     * nodes write it) at their path, and time after SIGTERM for the worker's drain.
     */
    @Test
    void theWorkerDeploymentRunsTheCronJobsPartitions() {
        List<Manifest> workers = ofKind("Deployment").stream()
                .filter(d -> !d.isTemplate())
                .filter(d -> command(d.at("/spec/template/spec")).contains("worker"))
                .toList();
        assertThat(workers).as("the Deployments running `paperrun worker`").hasSize(1);
        Manifest worker = workers.get(0);
        String spec = "/spec/template/spec";
        String container = spec + "/containers/0";
        JsonNode podSpec = worker.at(spec);
        assertThat(resources("Deployment"))
                .as("the Deployments %s lists", KUSTOMIZATION)
                .contains(worker.name());

        Problems problems = new Problems();
        problems.equal(worker, "/apiVersion", "apps/v1");
        problems.atLeast(worker, "/spec/replicas", 2);
        problems.equal(worker, "/spec/strategy/type", "RollingUpdate");
        worker.at("/spec/selector/matchLabels")
                .properties()
                .forEach(label -> problems.check(
                        label.getValue()
                                .equals(worker.at("/spec/template/metadata/labels")
                                        .path(label.getKey())),
                        worker + ": the selector's label " + label.getKey() + " is not the pod's"));
        problems.check(
                !worker.at("/spec/selector/matchLabels").isEmpty(), worker + ": /spec/selector/matchLabels is empty");
        JsonNode restart = worker.at(spec + "/restartPolicy");
        problems.check(
                restart.isMissingNode() || restart.asString().equals("Always"),
                worker + ": " + spec + "/restartPolicy is " + restart.asString() + ", not Always");
        List<String> entrypoint = new ArrayList<>();
        worker.at(container + "/command").values().forEach(w -> entrypoint.add(w.asString()));
        List<String> args = new ArrayList<>();
        worker.at(container + "/args").values().forEach(w -> args.add(w.asString()));
        problems.check(
                entrypoint.isEmpty() || entrypoint.equals(List.of("paperrun")),
                worker + ": the command is " + entrypoint + ", not the image's entrypoint [paperrun]");
        problems.check(args.equals(List.of("worker")), worker + ": the args are " + args + ", not [worker]");
        problems.container(worker, spec, image());

        // As the CronJobs: their image, their user and limits, their settings and secrets, their data volume.
        for (Manifest cronJob : cronJobs()) {
            JsonNode cronSpec = cronJob.at("/spec/jobTemplate/spec/template/spec");
            for (String pointer : List.of(
                    "/containers/0/image",
                    "/containers/0/resources",
                    "/containers/0/securityContext",
                    "/containers/0/envFrom",
                    "/securityContext",
                    "/serviceAccountName")) {
                problems.check(
                        podSpec.at(pointer).equals(cronSpec.at(pointer)),
                        worker + ": " + spec + pointer + " is not that of " + cronJob + ": " + podSpec.at(pointer)
                                + " against " + cronSpec.at(pointer));
            }
            Map<String, String> cronClaims = claimMounts(cronSpec);
            problems.check(
                    !cronClaims.isEmpty() && claimMounts(podSpec).equals(cronClaims),
                    worker + ": the volume claims mounted " + claimMounts(podSpec) + " are not those of " + cronJob
                            + " " + cronClaims);
        }
        // Proofing's partitions write proofs from the workers' nodes, which the CronJobs' pods read.
        for (String claim : claimMounts(podSpec).keySet()) {
            Manifest volume = ofKind("PersistentVolumeClaim").stream()
                    .filter(pvc -> pvc.name().equals(claim))
                    .findFirst()
                    .orElse(null);
            problems.check(volume != null, worker + ": no PersistentVolumeClaim " + claim);
            if (volume != null) {
                Set<String> modes = new TreeSet<>();
                volume.at("/spec/accessModes").values().forEach(mode -> modes.add(mode.asString()));
                problems.check(
                        modes.contains("ReadWriteMany"),
                        volume + ": its access modes " + modes + " lack ReadWriteMany, which pods on several nodes"
                                + " need");
            }
        }

        // The broker's URL holds a password: from the kustomization's Secret, never the settings.
        Set<String> secrets = new TreeSet<>();
        worker.at(container + "/envFrom").values().forEach(from -> {
            if (from.has("secretRef")) {
                secrets.add(from.at("/secretRef/name").asString());
            }
        });
        boolean brokerFromSecret = secrets.stream()
                .anyMatch(name ->
                        resources("Secret").contains(name) && secretKeys(name).contains("PAPERRUN_BROKER_URL"));
        for (JsonNode variable : worker.at(container + "/env").values()) {
            if (variable.path("name").asString("").equals("PAPERRUN_BROKER_URL")) {
                String name = variable.at("/valueFrom/secretKeyRef/name").asString("");
                brokerFromSecret = resources("Secret").contains(name)
                        && secretKeys(name)
                                .contains(variable.at("/valueFrom/secretKeyRef/key")
                                        .asString(""));
            }
        }
        problems.check(brokerFromSecret, worker + ": PAPERRUN_BROKER_URL is not from the kustomization's Secret");
        problems.check(
                !configuration().containsKey("PAPERRUN_BROKER_URL"),
                "PAPERRUN_BROKER_URL is in a ConfigMap: it holds the broker's password, it belongs in a Secret");

        // After SIGTERM the worker drains for PAPERRUN_BROKER_WORKER_DRAIN, then hands back what still runs.
        String drain = setting(worker, container, "PAPERRUN_BROKER_WORKER_DRAIN");
        problems.check(drain != null, worker + ": PAPERRUN_BROKER_WORKER_DRAIN is not set");
        if (drain != null) {
            long drainSeconds;
            try {
                drainSeconds = Duration.parse(drain).toSeconds();
            } catch (DateTimeParseException e) {
                drainSeconds = -1;
            }
            problems.check(
                    drainSeconds >= 0, worker + ": PAPERRUN_BROKER_WORKER_DRAIN " + drain + " is no ISO-8601 duration");
            problems.atLeast(worker, spec + "/terminationGracePeriodSeconds", drainSeconds + WORKER_EXIT_SECONDS);
        }
        problems.assertNone();
    }

    @Test
    void theRestartAndFinanceRerunTemplatesRunTheirCommands() {
        Manifest restart = template(List.of("paperrun", "restart", "EXECUTION_ID"));
        Manifest rerun = template(List.of("paperrun", "run", "attribution-rerun"));
        List<String> rerunCommand = command(rerun.at("/spec/template/spec"));
        assertThat(rerunCommand).as("%s: its dates", rerun).hasSize(5);
        assertThat(rerunCommand.get(3)).startsWith("from=");
        assertThat(rerunCommand.get(4)).startsWith("to=");
        Manifest apply = template(List.of("paperrun", "apply", "-f"));
        String applyFile = command(apply.at("/spec/template/spec")).get(3);
        JsonNode mounts = apply.at("/spec/template/spec/containers/0/volumeMounts");
        assertThat(StreamSupport.stream(mounts.spliterator(), false)
                        .filter(mount ->
                                applyFile.startsWith(mount.path("mountPath").asString() + "/"))
                        .map(mount -> volume(
                                apply.at("/spec/template/spec"),
                                mount.path("name").asString()))
                        .anyMatch(volume -> volume.has("configMap")))
                .as("%s: %s is on a ConfigMap's volume", apply, applyFile)
                .isTrue();

        Problems problems = new Problems();
        for (Manifest job : List.of(restart, rerun, apply)) {
            problems.equal(job, "/apiVersion", "batch/v1");
            problems.equal(
                    job, "/metadata/namespace", kustomization.path("namespace").asString());
            problems.atLeast(job, "/spec/activeDeadlineSeconds", 1);
            problems.atLeast(job, "/spec/backoffLimit", 0);
            problems.failsAtOnceOn(job, "/spec", 2);
            problems.pod(job, "/spec/template/spec", templateImage());
        }
        problems.assertNone();
    }

    @Test
    void theSecretsHoldPlaceholdersOnlyAndTheSettingsNoSecret() {
        List<Manifest> secrets = ofKind("Secret");
        assertThat(secrets).isNotEmpty();
        Problems problems = new Problems();
        for (Manifest secret : secrets) {
            Map<String, String> values = new LinkedHashMap<>();
            secret.at("/stringData")
                    .properties()
                    .forEach(e -> values.put(e.getKey(), e.getValue().asString()));
            secret.at("/data")
                    .properties()
                    .forEach(e -> values.put(
                            e.getKey(),
                            new String(Base64.getDecoder().decode(e.getValue().asString()), StandardCharsets.UTF_8)));
            problems.check(
                    values.containsKey("SPRING_DATASOURCE_PASSWORD"), secret + ": no SPRING_DATASOURCE_PASSWORD");
            values.forEach((name, value) -> {
                problems.check(
                        value.equals(PLACEHOLDER),
                        secret + ": " + name + " holds something else than the placeholder " + PLACEHOLDER);
                // As an apply file names it: ${NAME}.
                problems.check(name.matches("[A-Za-z_][A-Za-z0-9_]*"), secret + ": " + name + " is no variable's name");
            });
        }
        for (Manifest settings : ofKind("ConfigMap")) {
            settings.at("/data").properties().forEach(e -> {
                problems.check(
                        e.getValue().isString(),
                        settings + ": " + e.getKey() + " is not a string (quote it): a ConfigMap holds strings");
                problems.check(
                        !e.getKey().matches("(?i).*(PASSWORD|TOKEN|SECRET|_KEY)$"),
                        settings + ": " + e.getKey() + " belongs in a Secret");
            });
        }
        problems.assertNone();
        Map<String, String> settings = configuration();
        assertThat(settings.get("SPRING_DATASOURCE_URL"))
                .as("the database server (a pod never runs the embedded one)")
                .startsWith("jdbc:postgresql://");
        assertThat(settings.get("PAPERRUN_DATA_DIR")).startsWith("/");
    }

    @Test
    void theDockerfileBuildsALayeredJre17ImageRunByAUserNotRoot() throws IOException {
        List<String[]> instructions = dockerfile();
        List<String> froms = arguments(instructions, "FROM");
        assertThat(froms).as("%s: a build in two stages", DOCKERFILE).hasSizeGreaterThanOrEqualTo(2);
        assertThat(froms.get(froms.size() - 1))
                .as("%s: the image's base, a Java 17 JRE", DOCKERFILE)
                .matches("eclipse-temurin:17[\\w.-]*-jre\\b.*");
        assertThat(arguments(instructions, "RUN"))
                .as("%s: the jar's layers extracted", DOCKERFILE)
                .anyMatch(run ->
                        run.contains("java -Djarmode=tools -jar") && run.matches(".*\\bextract\\b.*--layers\\b.*"));
        List<String> layers = arguments(instructions, "COPY").stream()
                .filter(copy -> copy.startsWith("--from="))
                .map(copy -> copy.split("\\s+")[1].replaceAll("/+$", ""))
                .map(source -> source.substring(source.lastIndexOf('/') + 1))
                .toList();
        assertThat(layers)
                .as("%s: the layers copied, the least changing first", DOCKERFILE)
                .containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
        assertThat(dockerUid())
                .as("%s: the last USER, a user not root", DOCKERFILE)
                .isPositive();
        assertThat(arguments(instructions, "ENTRYPOINT"))
                .as("%s: the launcher the manifests run", DOCKERFILE)
                .containsExactly("[\"paperrun\"]");

        // What the build copies from the project is there (the jar once built) and sent to the builder.
        List<String> ignore = Files.readAllLines(DOCKERIGNORE);
        for (String copy : arguments(instructions, "COPY")) {
            if (copy.startsWith("--")) {
                continue;
            }
            String source = copy.split("\\s+")[0];
            assertThat(ignore).as("%s re-includes %s", DOCKERIGNORE, source).contains("!" + source);
            if (!source.startsWith("target/")) {
                assertThat(Path.of(source)).exists();
            }
        }
        String launcher = Files.readString(Path.of("scripts", "image", "paperrun"));
        assertThat(launcher)
                .as("the image's launcher: the JVM options of scripts/paperrun, java in the shell's place")
                .contains("exec java @/opt/paperrun/jvm.options ${PAPERRUN_JAVA_OPTS:--Xmx1g} -Duser.timezone=UTC");
        assertThat(Files.isExecutable(Path.of("scripts", "image", "paperrun"))).isTrue();
    }

    /**
     * Where kubectl is installed, kustomize builds the directory, with the registry's image in every CronJob and
     * Deployment.
     */
    @Test
    void kustomizeBuildsTheDirectoryWhereKubectlIsInstalled(@TempDir Path dir) throws Exception {
        Path kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(d -> Path.of(d, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        assumeTrue(kubectl != null, "no kubectl on the PATH");
        Path built = dir.resolve("built.yaml");
        Process kustomize = new ProcessBuilder(kubectl.toString(), "kustomize", DIRECTORY.toString())
                .redirectOutput(built.toFile())
                .redirectError(dir.resolve("err").toFile())
                .start();
        assertThat(kustomize.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kustomize.exitValue())
                .as(Files.readString(dir.resolve("err")))
                .isZero();
        String output = Files.readString(built);
        List<Manifest> pods = new ArrayList<>(cronJobs());
        pods.addAll(resources("Deployment").stream()
                .flatMap(name ->
                        ofKind("Deployment").stream().filter(d -> d.name().equals(name)))
                .toList());
        for (Manifest made : pods) {
            assertThat(output).contains("name: " + made.name() + "\n");
        }
        assertThat(output.lines().filter(l -> l.strip().startsWith("image: ")).map(String::strip))
                .hasSize(pods.size())
                .allMatch(l -> l.equals("image: " + templateImage()));
    }

    /** What the order-sync CronJob's shell does with each job's exit status, and with a SIGTERM. */
    @ParameterizedTest(name = "order-sync {0}, attribution-processing {1}: exit {2}")
    @CsvSource({
        "0, 0, 0, order-sync attribution-processing",
        "1, 0, 1, order-sync attribution-processing",
        "2, 0, 2, order-sync attribution-processing",
        "3, 0, 3, order-sync",
        "0, 1, 1, order-sync attribution-processing",
        "0, 3, 3, order-sync attribution-processing",
        "1, 2, 1, order-sync attribution-processing",
        "wait, 0, 143, order-sync order-sync:stopped",
        "0, wait, 143, order-sync attribution-processing attribution-processing:stopped"
    })
    void theOrderSyncPodRunsAttributionProcessingAfterTheSync(
            String syncExit, String processingExit, int podExit, String ran, @TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh");
        Manifest cronJob = cronJobs().stream()
                .filter(c -> commandLine(c.at("/spec/jobTemplate/spec/template/spec"))
                        .contains("paperrun run order-sync"))
                .findFirst()
                .orElseThrow();
        List<String> command = command(cronJob.at("/spec/jobTemplate/spec/template/spec"));
        assertThat(command.subList(0, 2)).as("%s: a shell's script", cronJob).containsExactly("/bin/sh", "-c");

        Path fake = dir.resolve("paperrun");
        Files.writeString(fake, """
                #!/bin/sh
                echo "$2" >> "$LOG"
                case "$2" in order-sync) code=$SYNC_EXIT ;; *) code=$PROCESSING_EXIT ;; esac
                if [ "$code" = wait ]; then
                  trap 'echo "$2:stopped" >> "$LOG"; exit 143' TERM
                  : > "$READY"
                  i=0
                  while [ "$i" -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
                  exit 9
                fi
                exit "$code"
                """);
        assertThat(fake.toFile().setExecutable(true)).isTrue();
        Path log = dir.resolve("log");
        Path ready = dir.resolve("ready");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        builder.environment().put("LOG", log.toString());
        builder.environment().put("READY", ready.toString());
        builder.environment().put("SYNC_EXIT", syncExit);
        builder.environment().put("PROCESSING_EXIT", processingExit);
        Process pod = builder.start();
        if (syncExit.equals("wait") || processingExit.equals("wait")) {
            for (int i = 0; i < 200 && !Files.exists(ready); i++) {
                Thread.sleep(50);
            }
            assertThat(ready).as("the job started").exists();
            pod.destroy(); // SIGTERM, as the kubelet sends it
        }
        assertThat(pod.waitFor(30, TimeUnit.SECONDS))
                .as("the script ended, the SIGTERM passed on to the job")
                .isTrue();
        assertThat(String.join(" ", Files.readAllLines(log)))
                .as("%s: the jobs run", cronJob)
                .isEqualTo(ran);
        assertThat(pod.exitValue()).as("%s: the pod's exit status", cronJob).isEqualTo(podExit);
    }

    /** Collects what is wrong in every manifest, so that one run names all of it. */
    private static final class Problems {

        private final List<String> found = new ArrayList<>();

        void check(boolean ok, String problem) {
            if (!ok) {
                found.add(problem);
            }
        }

        JsonNode present(Manifest m, String pointer) {
            JsonNode node = m.at(pointer);
            check(!node.isMissingNode() && !node.isNull(), m + ": " + pointer + " is missing");
            return node;
        }

        void text(Manifest m, String pointer) {
            JsonNode node = present(m, pointer);
            check(
                    node.isMissingNode() || node.isString() && !node.asString().isBlank(),
                    m + ": " + pointer + " is not a name");
        }

        void equal(Manifest m, String pointer, Object expected) {
            JsonNode node = present(m, pointer);
            if (!node.isMissingNode()) {
                Object actual = node.isBoolean()
                        ? node.booleanValue()
                        : node.isNumber() ? (Object) node.asLong() : node.asString();
                check(actual.equals(expected), m + ": " + pointer + " is " + actual + ", not " + expected);
            }
        }

        void atLeast(Manifest m, String pointer, long least) {
            JsonNode node = present(m, pointer);
            if (!node.isMissingNode()) {
                check(node.isIntegralNumber(), m + ": " + pointer + " is not a whole number");
                check(node.asLong() >= least, m + ": " + pointer + " is " + node.asLong() + ", less than " + least);
            }
        }

        /** The Job (its spec at {@code jobSpec}) fails at once, without retries, on these exit codes. */
        void failsAtOnceOn(Manifest m, String jobSpec, int... codes) {
            Set<Integer> failing = new TreeSet<>();
            m.at(jobSpec + "/podFailurePolicy/rules").values().forEach(rule -> {
                JsonNode exits = rule.path("onExitCodes");
                if (rule.path("action").asString("").equals("FailJob")
                        && exits.path("operator").asString("").equals("In")) {
                    check(
                            exits.path("containerName")
                                    .asString("")
                                    .equals(m.at(jobSpec + "/template/spec/containers/0/name")
                                            .asString()),
                            m + ": the podFailurePolicy's containerName is not the container's name");
                    exits.path("values").values().forEach(v -> failing.add(v.asInt()));
                }
            });
            for (int code : codes) {
                check(
                        failing.contains(code),
                        m + ": " + jobSpec + "/podFailurePolicy does not fail the Job at once on exit " + code);
            }
        }

        /** A pod of a job: never restarted in place, time to stop at a chunk boundary, and a {@link #container}. */
        void pod(Manifest m, String spec, String image) {
            // podFailurePolicy needs it, and a pod that failed is one to look at, not to restart in place.
            equal(m, spec + "/restartPolicy", "Never");
            atLeast(m, spec + "/terminationGracePeriodSeconds", Math.max(60, SLOWEST_CHUNK_SECONDS + STOPPING_SECONDS));
            container(m, spec, image);
        }

        /** A pod's one container of the image, run as the image's user, its settings and volumes. */
        void container(Manifest m, String spec, String image) {
            equal(m, spec + "/securityContext/runAsNonRoot", true);
            equal(m, spec + "/securityContext/runAsUser", (long) dockerUid());
            present(m, spec + "/containers");
            check(
                    m.at(spec + "/containers").size() == 1,
                    m + ": " + spec + "/containers holds other than one container");
            String container = spec + "/containers/0";
            equal(m, container + "/image", image);
            equal(m, container + "/securityContext/allowPrivilegeEscalation", false);
            equal(m, container + "/securityContext/readOnlyRootFilesystem", true);

            // A quantity missing or not one is a problem of its own (NaN, -1), not compared.
            double cpuRequest = cpu(m, container + "/resources/requests/cpu");
            double cpuLimit = cpu(m, container + "/resources/limits/cpu");
            check(
                    Double.isNaN(cpuLimit) || cpuLimit <= NODE_CORES,
                    m + ": a cpu limit of " + cpuLimit + ", more than the node's " + NODE_CORES);
            check(
                    Double.isNaN(cpuRequest) || Double.isNaN(cpuLimit) || cpuRequest <= cpuLimit,
                    m + ": a cpu request above the limit");
            long memoryRequest = memory(m, container + "/resources/requests/memory");
            long memoryLimit = memory(m, container + "/resources/limits/memory");
            check(
                    memoryRequest < 0 || memoryLimit < 0 || memoryRequest <= memoryLimit,
                    m + ": a memory request above the limit");
            check(memoryLimit <= MAX_MEMORY_LIMIT, m + ": a memory limit above " + MAX_MEMORY_LIMIT / MEBIBYTE + "Mi");
            check(
                    memoryLimit < 0 || memoryLimit >= heap() + BESIDE_HEAP,
                    m + ": a memory limit with less than " + BESIDE_HEAP / MEBIBYTE
                            + "Mi beside the heap (-Xmx of PAPERRUN_JAVA_OPTS)");

            Set<String> configMaps = new TreeSet<>();
            Set<String> secrets = new TreeSet<>();
            m.at(container + "/envFrom").values().forEach(from -> {
                if (from.has("configMapRef")) {
                    configMaps.add(from.at("/configMapRef/name").asString());
                }
                if (from.has("secretRef")) {
                    secrets.add(from.at("/secretRef/name").asString());
                }
            });
            check(!configMaps.isEmpty(), m + ": no settings (envFrom configMapRef)");
            check(!secrets.isEmpty(), m + ": no secrets (envFrom secretRef)");
            check(
                    resources("ConfigMap").containsAll(configMaps),
                    m + ": envFrom names a ConfigMap " + configMaps + " the kustomization does not make");
            check(
                    resources("Secret").containsAll(secrets),
                    m + ": envFrom names a Secret " + secrets + " the kustomization does not make");

            Map<String, JsonNode> mounts = new HashMap<>();
            m.at(container + "/volumeMounts")
                    .values()
                    .forEach(mount -> mounts.put(
                            mount.path("mountPath").asString(),
                            volume(m.at(spec), mount.path("name").asString())));
            JsonNode data = mounts.get(configuration().get("PAPERRUN_DATA_DIR"));
            check(
                    data != null
                            && resources("PersistentVolumeClaim")
                                    .contains(data.at("/persistentVolumeClaim/claimName")
                                            .asString()),
                    m
                            + ": the data directory (PAPERRUN_DATA_DIR) is not mounted from the kustomization's PersistentVolumeClaim");
            JsonNode tmp = mounts.get("/tmp");
            check(
                    tmp != null && tmp.has("emptyDir"),
                    m + ": no emptyDir at /tmp, the one writable place of a read-only root");
            String account = m.at(spec + "/serviceAccountName").asString("");
            check(
                    account.isEmpty() || resources("ServiceAccount").contains(account),
                    m + ": the service account " + account + " is not the kustomization's");
        }

        private double cpu(Manifest m, String pointer) {
            JsonNode node = present(m, pointer);
            Matcher quantity = Pattern.compile("(\\d+(?:\\.\\d+)?)(m?)").matcher(node.asString(""));
            if (node.isMissingNode() || !quantity.matches()) {
                check(node.isMissingNode(), m + ": " + pointer + " is not a quantity of cpu");
                return Double.NaN;
            }
            return Double.parseDouble(quantity.group(1)) / (quantity.group(2).isEmpty() ? 1 : 1000);
        }

        private long memory(Manifest m, String pointer) {
            JsonNode node = present(m, pointer);
            Long bytes = bytes(node.asString(""));
            check(node.isMissingNode() || bytes != null, m + ": " + pointer + " is not a quantity of memory");
            return bytes == null ? -1 : bytes;
        }

        void assertNone() {
            assertThat(found)
                    .withFailMessage(() -> found.size() + (found.size() == 1 ? " problem in " : " problems in ")
                            + DIRECTORY + ":\n  " + String.join("\n  ", found))
                    .isEmpty();
        }
    }

    private static List<Path> yamlFiles(Path directory, int depth) {
        try (Stream<Path> files = Files.walk(directory, depth)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new AssertionError(directory + " cannot be read", e);
        }
    }

    private static List<Manifest> ofKind(String kind) {
        return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
    }

    private static List<Manifest> cronJobs() {
        return ofKind("CronJob");
    }

    /** The names of the objects of {@code kind} that the kustomization makes. */
    private static Set<String> resources(String kind) {
        Set<Path> listed = new TreeSet<>();
        kustomization.path("resources").values().forEach(r -> listed.add(DIRECTORY.resolve(r.asString())));
        return manifests.stream()
                .filter(m -> listed.contains(m.file()) && m.kind().equals(kind))
                .map(Manifest::name)
                .collect(Collectors.toSet());
    }

    /** The settings of the kustomization's ConfigMaps. */
    private static Map<String, String> configuration() {
        Map<String, String> settings = new TreeMap<>();
        Set<String> made = resources("ConfigMap");
        ofKind("ConfigMap").stream()
                .filter(m -> made.contains(m.name()) && !m.isTemplate())
                .forEach(m -> m.at("/data")
                        .properties()
                        .forEach(e -> settings.put(e.getKey(), e.getValue().asString())));
        return settings;
    }

    /** The heap the pods' JVMs get: -Xmx of PAPERRUN_JAVA_OPTS, else the launcher's default, 1 GiB. */
    private static long heap() {
        Matcher xmx = Pattern.compile("-Xmx(\\d+)([kKmMgG]?)")
                .matcher(configuration().getOrDefault("PAPERRUN_JAVA_OPTS", "-Xmx1g"));
        if (!xmx.find()) {
            return 1024 * MEBIBYTE;
        }
        long unit = switch (xmx.group(2).toLowerCase()) {
            case "k" -> 1024L;
            case "m" -> MEBIBYTE;
            case "g" -> 1024 * MEBIBYTE;
            default -> 1L;
        };
        return Long.parseLong(xmx.group(1)) * unit;
    }

    /** A Kubernetes quantity of memory in bytes ({@code 1536Mi}, {@code 2Gi}, {@code 2G}), null if it is none. */
    private static Long bytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?").matcher(quantity);
        if (!m.matches()) {
            return null;
        }
        long unit = m.group(2) == null
                ? 1
                : switch (m.group(2)) {
                    case "Ki" -> 1L << 10;
                    case "Mi" -> 1L << 20;
                    case "Gi" -> 1L << 30;
                    case "Ti" -> 1L << 40;
                    case "k" -> 1_000L;
                    case "M" -> 1_000_000L;
                    case "G" -> 1_000_000_000L;
                    default -> 1_000_000_000_000L;
                };
        return Long.parseLong(m.group(1)) * unit;
    }

    /** The image the CronJobs name: the one the kustomization's {@code images} sets. */
    private static String image() {
        return kustomization.at("/images/0/name").asString();
    }

    /** The image the templates name, which no kustomization sets: the one the kustomization sets in full. */
    private static String templateImage() {
        JsonNode image = kustomization.at("/images/0");
        return image.path("newName").asString() + ":" + image.path("newTag").asString();
    }

    private static Manifest template(List<String> commandStart) {
        List<Manifest> found = manifests.stream()
                .filter(Manifest::isTemplate)
                .filter(m -> m.kind().equals("Job"))
                .filter(m -> {
                    List<String> command = command(m.at("/spec/template/spec"));
                    return command.size() >= commandStart.size()
                            && command.subList(0, commandStart.size()).equals(commandStart);
                })
                .toList();
        assertThat(found)
                .as("the Job templates under %s running %s", TEMPLATES, commandStart)
                .hasSize(1);
        return found.get(0);
    }

    /** The container's command and arguments. */
    private static List<String> command(JsonNode podSpec) {
        List<String> words = new ArrayList<>();
        podSpec.at("/containers/0/command").values().forEach(w -> words.add(w.asString()));
        podSpec.at("/containers/0/args").values().forEach(w -> words.add(w.asString()));
        return words;
    }

    private static String commandLine(JsonNode podSpec) {
        return String.join(" ", command(podSpec));
    }

    private static JsonNode volume(JsonNode podSpec, String name) {
        for (JsonNode volume : podSpec.path("volumes").values()) {
            if (volume.path("name").asString("").equals(name)) {
                return volume;
            }
        }
        return tools.jackson.databind.node.MissingNode.getInstance();
    }

    /** The persistent volume claims the pod's container mounts, by claim name, and where. */
    private static Map<String, String> claimMounts(JsonNode podSpec) {
        Map<String, String> claims = new TreeMap<>();
        podSpec.at("/containers/0/volumeMounts").values().forEach(mount -> {
            JsonNode claim = volume(podSpec, mount.path("name").asString()).at("/persistentVolumeClaim/claimName");
            if (claim.isString()) {
                claims.put(claim.asString(), mount.path("mountPath").asString());
            }
        });
        return claims;
    }

    /** The variables the Secret {@code name} holds. */
    private static Set<String> secretKeys(String name) {
        Set<String> keys = new TreeSet<>();
        ofKind("Secret").stream().filter(s -> s.name().equals(name)).forEach(s -> {
            s.at("/stringData").properties().forEach(e -> keys.add(e.getKey()));
            s.at("/data").properties().forEach(e -> keys.add(e.getKey()));
        });
        return keys;
    }

    /** A setting of the container: its own {@code env} value, else the kustomization's ConfigMaps'; null if none. */
    private static String setting(Manifest m, String container, String name) {
        for (JsonNode variable : m.at(container + "/env").values()) {
            if (variable.path("name").asString("").equals(name) && variable.has("value")) {
                return variable.path("value").asString();
            }
        }
        return configuration().get(name);
    }

    /** The Dockerfile's instructions, continuation lines joined: each its keyword and its arguments. */
    private static List<String[]> dockerfile() {
        try {
            String text = Files.readString(DOCKERFILE).replaceAll("\\\\\\n\\s*", " ");
            return text.lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.split("\\s+", 2))
                    .toList();
        } catch (IOException e) {
            throw new AssertionError(DOCKERFILE + " cannot be read", e);
        }
    }

    private static List<String> arguments(List<String[]> instructions, String keyword) {
        return instructions.stream()
                .filter(i -> i[0].equalsIgnoreCase(keyword) && i.length > 1)
                .map(i -> i[1])
                .toList();
    }

    /** The user the image runs as: its last USER, a number (Kubernetes checks runAsNonRoot against a number). */
    private static int dockerUid() {
        List<String> users = arguments(dockerfile(), "USER");
        assertThat(users).as("%s: a USER", DOCKERFILE).isNotEmpty();
        String user = users.get(users.size() - 1);
        assertThat(user).as("%s: USER, numeric", DOCKERFILE).matches("\\d+(:\\d+)?");
        return Integer.parseInt(user.split(":")[0]);
    }
}
