# One JVM image per service, from the Quarkus fast-jar layout (target/quarkus-app):
#   ./mvnw -B package -DskipTests
#   docker build --build-arg SERVICE=state-service -t switchboard/state-service .
# docker-compose.yml builds all four this way.
FROM eclipse-temurin:21-jre

ARG SERVICE
RUN test -n "$SERVICE" || { echo "build with --build-arg SERVICE=<module directory>" >&2; exit 1; }

# JAVA_OPTS: the image's defaults; JAVA_OPTS_APPEND: per-deployment additions (later flags win).
# The JBoss LogManager must be set before the first log line, as in Quarkus's own Dockerfile.jvm.
# DJL (the router's tokenizer) and ONNX Runtime unpack native libraries: into /tmp, which stays writable
# when the root filesystem is read-only (Kubernetes mounts an emptyDir there).
ENV LANGUAGE='en_US:en' \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager" \
    JAVA_OPTS_APPEND="" \
    DJL_CACHE_DIR=/tmp/djl \
    HOME=/tmp

WORKDIR /deployments
# Fast-jar layout, least-often-changed layers first: dependencies, launcher, application, generated.
COPY ${SERVICE}/target/quarkus-app/lib/ /deployments/lib/
COPY ${SERVICE}/target/quarkus-app/*.jar /deployments/
COPY ${SERVICE}/target/quarkus-app/app/ /deployments/app/
COPY ${SERVICE}/target/quarkus-app/quarkus/ /deployments/quarkus/

# The same non-root uid as Quarkus's images; the files stay root-owned and read-only for it.
USER 185
EXPOSE 8000 8001 8002 8003
# exec: java is PID 1 and gets SIGTERM directly, so graceful shutdown (SHUTDOWN_GRACE) runs.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS $JAVA_OPTS_APPEND -jar /deployments/quarkus-run.jar"]
