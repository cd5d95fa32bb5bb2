#!/usr/bin/env bash
# bench/checkpoint-bytes.sh — bytes PostgreSQL stores for one session of 50, 100 and 200 turns.
#
# Starts the packaged state-service (SKIP_AUTH=true, its own port, a fresh database), creates one session per length
# through the HTTP API (POST /sessions, then one POST /sessions/{id}/turns per turn: a user message and an assistant
# answer of a few hundred characters and a small state patch, like a chat turn), and prints, per session, its
# checkpoint rows and the bytes they store: sum(pg_column_size(c.*)) over its rows of state.checkpoints (values as
# stored: compressed, out of line or not). Ends with the ratios 200/100 and 100/50 (2.0 is linear growth), and the CPU
# the service's JVM (JIT included) and its PostgreSQL backends used for all the writes (from /proc, per turn). Stops the
# service whatever happens. Nothing is timed.
#
#   bench/checkpoint-bytes.sh                              # the service built from this checkout
#   STATE_APP=/tmp/main/state-service/target/quarkus-app bench/checkpoint-bytes.sh   # another build (e.g. main)
#
# Parameters (environment): STATE_APP (state-service/target/quarkus-app of this checkout; built with
# `./mvnw -pl state-service -am package -DskipTests` when missing), TURNS ("50 100 200"), PORT (19402), REDIS_URL
# (redis://127.0.0.1:6379), PG_HOST (127.0.0.1), PG_PORT (5432), PG_USER (postgres), DATABASE (checkpoint_bytes:
# dropped and created again with psql), SERVICE_ENV (extra KEY=VALUE settings, space-separated, e.g.
# "CHECKPOINT_SNAPSHOT_EVERY=10").
# Needs: a JDK 21+ (found like the Maven wrapper does), curl, psql.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
STATE_APP="${STATE_APP:-$ROOT/state-service/target/quarkus-app}"
TURNS="${TURNS:-50 100 200}"
PORT="${PORT:-19402}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-postgres}"
DATABASE="${DATABASE:-checkpoint_bytes}"
SERVICE_ENV="${SERVICE_ENV:-}"

if [[ ! -f "$STATE_APP/quarkus-run.jar" ]]; then
  (cd "$ROOT" && ./mvnw -q -pl state-service -am package -DskipTests)
fi
JAVA_HOME="$("$ROOT/.mvn/find-jdk")" || exit 1
PSQL=(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -v ON_ERROR_STOP=1 -qtA)
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DATABASE" -c "CREATE DATABASE $DATABASE"

LOG="$(mktemp -t checkpoint-bytes.XXXXXX.log)"
# shellcheck disable=SC2086 # SERVICE_ENV is a space-separated list of settings
env PORT="$PORT" HOST=127.0.0.1 REDIS_URL="$REDIS_URL" SKIP_AUTH=true \
  DATABASE_URL="postgresql://$PG_USER@$PG_HOST:$PG_PORT/$DATABASE" CHECKPOINT_SWEEP_INTERVAL=off $SERVICE_ENV \
  "$JAVA_HOME/bin/java" -jar "$STATE_APP/quarkus-run.jar" > "$LOG" 2>&1 &
SERVICE=$!
trap 'kill "$SERVICE" 2>/dev/null || true; wait "$SERVICE" 2>/dev/null || true' EXIT

BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do
  curl -sf "$BASE/q/health/ready" > /dev/null && break
  kill -0 "$SERVICE" 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 0.5
done
curl -sf "$BASE/q/health/ready" > /dev/null || { echo "state-service did not get ready; log: $LOG" >&2; exit 1; }

# CPU seconds (user + system) of some processes, from /proc
cpu_seconds() {
  local ticks=0 pid
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] || continue
    ticks=$((ticks + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}
JVM_CPU_START="$(cpu_seconds "$SERVICE")"

ANSWER="Here is what I found about your question: the order ships from the warehouse within two working days, \
tracking is sent by e-mail, and returns are free for thirty days. Anything else I can help you with today?"
declare -A BYTES
printf '%-6s %-8s %-12s %s\n' turns rows bytes bytes/turn
for turns in $TURNS; do
  id="bytes-$turns-$$"
  curl -sf -o /dev/null -X POST "$BASE/sessions" -H 'Content-Type: application/json' \
    -d "{\"session_id\":\"$id\",\"user_id\":\"bench-user\"}"
  for ((i = 1; i <= turns; i++)); do
    curl -sf -o /dev/null -X POST "$BASE/sessions/$id/turns" -H 'Content-Type: application/json' -d "{
      \"turn_id\":\"t-$i\",\"agent\":\"general_assistant_agent\",\"routing\":{\"method\":\"semantic\",\"score\":0.82},
      \"messages\":[{\"role\":\"user\",\"content\":\"Question number $i: when will my order arrive and how do I return it?\"},
                    {\"role\":\"assistant\",\"content\":\"$ANSWER ($i)\"}],
      \"state_patch\":{\"last_turn\":\"t-$i\",\"turns\":$i},\"metadata\":{\"tokens\":{\"in\":120,\"out\":64}}}"
  done
  read -r rows bytes < <("${PSQL[@]}" -F ' ' -d "$DATABASE" -c \
    "SELECT count(*), coalesce(sum(pg_column_size(c.*)), 0) FROM state.checkpoints c WHERE thread_id = '$id'")
  BYTES[$turns]=$bytes
  printf '%-6s %-8s %-12s %s\n' "$turns" "$rows" "$bytes" "$((bytes / turns))"
done
JVM_CPU="$(awk -v a="$JVM_CPU_START" -v b="$(cpu_seconds "$SERVICE")" 'BEGIN { printf "%.2f", b - a }')"
mapfile -t BACKENDS < <("${PSQL[@]}" -d postgres -c \
  "SELECT pid FROM pg_stat_activity WHERE datname = '$DATABASE' AND pid <> pg_backend_pid()")
PG_CPU="$(cpu_seconds "${BACKENDS[@]}")"
ALL_TURNS=0
for turns in $TURNS; do ALL_TURNS=$((ALL_TURNS + turns + 1)); done
awk -v j="$JVM_CPU" -v p="$PG_CPU" -v n="$ALL_TURNS" 'BEGIN {
  printf "CPU for %d writes: state-service JVM %.2f s (%.2f ms/write), PostgreSQL backends %.2f s (%.2f ms/write)\n",
    n, j, 1000 * j / n, p, 1000 * p / n }'
if [[ -n "${BYTES[50]:-}" && -n "${BYTES[100]:-}" && -n "${BYTES[200]:-}" ]]; then
  awk -v a="${BYTES[50]}" -v b="${BYTES[100]}" -v c="${BYTES[200]}" \
    'BEGIN { printf "ratio 100/50 = %.2f, 200/100 = %.2f\n", b / a, c / b }'
fi
