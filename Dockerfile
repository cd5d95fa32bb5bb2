# One JVM image per service: docker build --build-arg SERVICE=state-service -t switchboard/state-service .
# Build the jars first: ./mvnw package -DskipTests
FROM eclipse-temurin:21-jre
ARG SERVICE
ENV LANGUAGE='en_US:en' JAVA_OPTS_APPEND="-XX:MaxRAMPercentage=75"
WORKDIR /deployments
COPY ${SERVICE}/target/quarkus-app/lib/ /deployments/lib/
COPY ${SERVICE}/target/quarkus-app/*.jar /deployments/
COPY ${SERVICE}/target/quarkus-app/app/ /deployments/app/
COPY ${SERVICE}/target/quarkus-app/quarkus/ /deployments/quarkus/
USER 185
EXPOSE 8000 8001 8002 8003
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS_APPEND -jar /deployments/quarkus-run.jar"]
