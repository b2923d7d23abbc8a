# PaperRun's container image: the jar built beforehand, extracted in Spring Boot's layers, on a Java 17 JRE, run
# as a user that is not root. The Kubernetes manifests of jobs-config/kubernetes run it.
#   ./mvnw -B -DskipTests package && docker build -t REGISTRY/paperrun:TAG .
# Layers that change least come first, so a rebuild after a code change sends only the application's layer.

FROM eclipse-temurin:17-jre AS extract
WORKDIR /extract
COPY target/paperrun.jar paperrun.jar
# Spring Boot's tools jar mode: paperrun.jar (the application, its manifest's Class-Path naming lib/) and lib/,
# split into the layers of the jar's layers.idx. The layout scripts/paperrun runs, without the launcher's classes.
RUN java -Djarmode=tools -jar paperrun.jar extract --layers --destination layers

FROM eclipse-temurin:17-jre
# A fixed numeric user and group: Kubernetes can check runAsNonRoot against a number, not a name. Its home is
# /tmp, the one writable place in a pod with a read-only root file system.
RUN groupadd --system --gid 10001 paperrun \
    && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin paperrun \
    && mkdir -p /var/lib/paperrun \
    && chown 10001:10001 /var/lib/paperrun
WORKDIR /opt/paperrun
COPY scripts/jvm.options jvm.options
COPY scripts/image/paperrun /usr/local/bin/paperrun
COPY --from=extract /extract/layers/dependencies/ ./
COPY --from=extract /extract/layers/spring-boot-loader/ ./
COPY --from=extract /extract/layers/snapshot-dependencies/ ./
COPY --from=extract /extract/layers/application/ ./
# Print files, proofs and reports; with SPRING_DATASOURCE_URL unset, the embedded database too.
ENV PAPERRUN_DATA_DIR=/var/lib/paperrun
USER 10001:10001
ENTRYPOINT ["paperrun"]
CMD ["--help"]
