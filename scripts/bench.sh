#!/usr/bin/env bash
# Benchmarks the product on a deterministic synthetic organization, against a
# PostgreSQL-only floor, the one-order-at-a-time baseline and the storage floor
# (PostgreSQL alone storing the product's rows), with a lower bound from CPU, in one run:
#   scripts/bench.sh attribution --recipients N --orders M [--baseline-orders K] [--seed S]
# and order-sync from a fake Shopify within its API budget (and without), in one run:
#   scripts/bench.sh order-sync --orders N [--restore-rate R] [--bucket B] [--per-order-cost C] [--repeat K]
# and recipient-sync from a fake Klaviyo segment within its rate limits, in one run:
#   scripts/bench.sh recipient-sync --profiles N [--repeat K] [--keep]
# and proofing of the example design for synthetic enriched recipients, in one run:
#   scripts/bench.sh proofing --recipients N [--keep]
# and mailing to a fake Lob within its postcard rate limit, in one run:
#   scripts/bench.sh mailing --recipients N [--latency MS] [--concurrency C[,C...]] [--keep]
# and report experiment on a holdout campaign, beside the one SQL aggregate it needs, in one run:
#   scripts/bench.sh report --recipients N [--explain] [--keep]
# and remote against local partitioning of stage B (run attribution-processing) on the same work, alternately,
# the remote runs' partitions on W paperrun worker processes through an AMQP broker (default: PAPERRUN_BROKER_URL,
# else the RabbitMQ at amqp://guest:guest@127.0.0.1:5672), in one run:
#   scripts/bench.sh remote --orders N [--recipients R] [--workers W] [--partitions P] [--repeat K] [--broker URL]
#                           [--poll-interval D] [--keep]
# Starts its own embedded PostgreSQL in a temporary directory (removed at the end).
#   PAPERRUN_BENCH_JAVA_OPTS   JVM options (default: -Xmx1g, the heap goal) of the benchmark and of
#                              the product's commands (their PAPERRUN_JAVA_OPTS), after scripts/jvm.options
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/target/paperrun.jar"
# The benchmark (src/bench/java) is not in the product's jar: it compiles with the tests, into
# target/test-classes (see pom.xml), which the same package builds; it runs on the jar's class path.
bench_classes="$root/target/test-classes"
bench_main="$bench_classes/io/paperrun/bench/AttributionBenchmark.class"
if [ ! -f "$jar" ] || [ -n "$(find "$root/src/main" "$root/sql" "$root/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ] \
    || [ ! -f "$bench_main" ] || [ -n "$(find "$root/src/bench" -newer "$bench_main" -print -quit 2>/dev/null)" ]; then
  echo "bench: building $jar and the benchmark ..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package) >&2
fi
# The fake Shopify and Klaviyo segment (src/test/java) serve from MockWebServer, a test library, not in the
# product's jar; its own dependencies (OkHttp, Okio, Kotlin's library) are the product's, in the jar at the same versions (OkHttp's BOM).
# Its path, as Maven resolves it from pom.xml (downloading it if need be), is kept in target/ until pom.xml changes.
test_libs_file="$root/target/bench-test-libs.path"
test_libs_current() {
  [ -s "$test_libs_file" ] && [ ! "$root/pom.xml" -nt "$test_libs_file" ] || return 1
  local libs lib
  IFS=, read -ra libs <<<"$(cat "$test_libs_file")"
  for lib in "${libs[@]}"; do [ -f "$lib" ] || return 1; done
}
if ! test_libs_current; then
  (cd "$root" && ./mvnw -q -B -ntp dependency:build-classpath -DincludeScope=test \
    -DincludeArtifactIds=mockwebserver3 -Dmdep.pathSeparator=, -Dmdep.outputFile="$test_libs_file") >&2
fi
cd "$root"
# The product's commands run through scripts/paperrun, with these options as their PAPERRUN_JAVA_OPTS.
# The benchmark's classes and MockWebServer come first (loader.path), then the jar's own classes and libraries.
# shellcheck disable=SC2086
exec java @"$root/scripts/jvm.options" ${PAPERRUN_BENCH_JAVA_OPTS:--Xmx1g} -Duser.timezone=UTC -cp "$jar" \
  -Dpaperrun.bench.launcher="$root/scripts/paperrun" -Dpaperrun.bench.java-opts="${PAPERRUN_BENCH_JAVA_OPTS:--Xmx1g}" \
  -Dloader.path="$bench_classes,$(cat "$test_libs_file")" -Dloader.main=io.paperrun.bench.AttributionBenchmark \
  org.springframework.boot.loader.launch.PropertiesLauncher "$@"
