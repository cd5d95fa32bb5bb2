#!/usr/bin/env bash
# bench/login-flood.sh — what a flood of failed logins costs chat: chat-turn p50/p99 with the supervisor otherwise
# idle, then while FLOOD failed logins are sent (MODE=burst: in parallel once; sustained: kept in flight), and the p99 ratio (bench/LoginFloodBench.java, JDK source
# launcher). Starts (and stops again) a fake model (bench/FakeModel.java) and the four services from their packaged
# jars on their own ports, one supervisor trusting 127.0.0.1 as a proxy (so SPREAD=1 can send each login from its own
# X-Forwarded-For address); appends a dated section to bench/RESULTS.md.
#
#   bench/login-flood.sh                      # 500 failed logins in flight from one address
#   MODE=burst bench/login-flood.sh           # 500 failed logins sent in parallel once, as chat runs
#   SPREAD=1 bench/login-flood.sh             # ... each from its own address: the password-hashing pool is the limit
#
# Parameters (environment): FLOOD (500), MODE (sustained|burst), SPREAD (0|1), CLIENTS (4 chat clients), TURNS (200 per phase), WARMUP (100),
# PORT_BASE (19500: supervisor +0, registry +1, state +2, prompts +3, fake model +90), SKIP_BUILD (1: never build),
# RESULTS (file, default bench/RESULTS.md; /dev/null to not record), LABEL (free text). Redis and PostgreSQL from
# REDIS_URL/DATABASE_URL (default: local servers, Redis database 10, PostgreSQL database switchboard_bench).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
PORT_BASE="${PORT_BASE:-19500}"
RESULTS="${RESULTS:-$BENCH/RESULTS.md}"
LABEL="${LABEL:-}"
SUPERVISOR_PORT=$PORT_BASE REGISTRY_PORT=$((PORT_BASE + 1)) STATE_PORT=$((PORT_BASE + 2))
PROMPTS_PORT=$((PORT_BASE + 3)) MODEL_PORT=$((PORT_BASE + 90))
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/10}"
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/switchboard_bench}"
OUT="$BENCH/.run/login-flood-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"

say() { printf '[login-flood %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'login-flood: %s\n' "$*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1; }

JAVA_HOME="$("$ROOT/.mvn/find-jdk")" || exit 1
JAVA="$JAVA_HOME/bin/java"
declare -A PIDS=()
cleanup() {
  local rc=$? name
  for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}" 2>/dev/null || true; done
  for name in "${!PIDS[@]}"; do
    for _ in $(seq 1 60); do kill -0 "${PIDS[$name]}" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "${PIDS[$name]}" 2>/dev/null || true
  done
  exit "$rc"
}
trap cleanup EXIT

for p in "$SUPERVISOR_PORT" "$REGISTRY_PORT" "$STATE_PORT" "$PROMPTS_PORT" "$MODEL_PORT"; do
  port_open "$p" && die "port $p is taken (set PORT_BASE)"
done
SERVICES=(agent-registry-service state-service prompt-service supervisor-service)
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  say "building the services (./mvnw package -DskipTests; log $OUT/build.log)"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests -pl "switchboard-common,$(IFS=,; echo "${SERVICES[*]}")" -am package) \
    >"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log" >&2; die "build failed"; }
fi

random_hex() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
BENCH_API_KEY="sb_bench_$(random_hex)" ADMIN_PASSWORD="bench-$(random_hex)"
export BENCH_API_KEY ADMIN_PASSWORD
export SWITCHBOARD_API_KEYS="bench-admin:admin:$(printf '%s' "$BENCH_API_KEY" | sha256sum | cut -d' ' -f1)"
export SERVICE_TOKEN="$(random_hex)" JWT_SECRET_KEY="$(random_hex)"

"$JAVA" -XX:+UseSerialGC -Xmx256m "$BENCH/FakeModel.java" "$MODEL_PORT" 0 >"$OUT/fake-model.log" 2>&1 &
PIDS[fake-model]=$!
start() { # name port [env...]
  local name="$1" port="$2"; shift 2
  env PORT="$port" HOST=127.0.0.1 "$@" "$JAVA" -jar "$ROOT/$name/target/quarkus-app/quarkus-run.jar" >"$OUT/$name.log" 2>&1 &
  PIDS[$name]=$!
}
ready() { # name port
  for _ in $(seq 1 240); do
    curl -fsS -m 2 "http://127.0.0.1:$2/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "${PIDS[$1]}" 2>/dev/null || { tail -30 "$OUT/$1.log" >&2; die "$1 exited during start"; }
    sleep 0.5
  done
  die "$1 not ready (log $OUT/$1.log)"
}
start agent-registry-service "$REGISTRY_PORT"
start state-service "$STATE_PORT"
start prompt-service "$PROMPTS_PORT"
ready agent-registry-service "$REGISTRY_PORT"; ready state-service "$STATE_PORT"; ready prompt-service "$PROMPTS_PORT"
start supervisor-service "$SUPERVISOR_PORT" SUPERVISOR_ID=login-flood-bench TRUSTED_PROXIES=127.0.0.1 \
  SWITCHBOARD_ADMIN_PASSWORD="$ADMIN_PASSWORD" RATE_LIMIT_PER_MINUTE=0 MAX_CONCURRENT_SESSIONS=1000 \
  AGENT_REGISTRY_URL="http://127.0.0.1:$REGISTRY_PORT" STATE_SERVICE_URL="http://127.0.0.1:$STATE_PORT" \
  PROMPT_SERVICE_URL="http://127.0.0.1:$PROMPTS_PORT" OPENAI_BASE_URL="http://127.0.0.1:$MODEL_PORT/v1/" \
  OPENAI_API_KEY=bench-key
ready supervisor-service "$SUPERVISOR_PORT"
for _ in $(seq 1 60); do
  curl -fsS -m 2 "http://127.0.0.1:$SUPERVISOR_PORT/health" 2>/dev/null | grep -q '"status":"healthy"' && break
  sleep 0.5
done

say "measuring: FLOOD=${FLOOD:-500} MODE=${MODE:-sustained} SPREAD=${SPREAD:-0} CLIENTS=${CLIENTS:-4} TURNS=${TURNS:-200}"
table="$(SUPERVISOR_URL="http://127.0.0.1:$SUPERVISOR_PORT" "$JAVA" "$BENCH/LoginFloodBench.java")"
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr), load before $(cut -d' ' -f1-3 /proc/loadavg)"
commit="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
section="$(printf '## %s — login flood (%s)%s\n\nMachine: %s. Command: `FLOOD=%s MODE=%s SPREAD=%s CLIENTS=%s TURNS=%s bench/login-flood.sh` (fake model, instant; one supervisor).\n\n%s\n' \
  "$(date -u '+%Y-%m-%d %H:%M UTC')" "$commit" "${LABEL:+ — $LABEL}" "$machine" "${FLOOD:-500}" "${MODE:-sustained}" "${SPREAD:-0}" \
  "${CLIENTS:-4}" "${TURNS:-200}" "$table")"
printf '%s\n' "$section"
printf '\n%s\n' "$section" >>"$RESULTS"
