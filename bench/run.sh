#!/usr/bin/env bash
# bench/run.sh — throughput, latency and CPU cost per turn of the whole Switchboard suite on this machine.
#
# Starts (and stops again, whatever happens) a fake OpenAI-compatible model (bench/FakeModel.java: answers at once by
# default, TCP_NODELAY set), the four services from their packaged jars on their own ports (1 or 2 supervisor
# replicas), warms up, then drives a fixed-duration closed-loop load: by default the peer benchmark's own load
# generator (load.mjs of ../shared/peer-bench, autocannon) with every message text unique (LOAD_UNIQUE=1: no cache keyed
# by text can answer it), 32 clients, a new session every 10 turns, so Switchboard and the LangGraph.js peer are
# measured by the same generator with the same load. Records turns/s, latency percentiles, errors, model calls per
# turn, per-stage timings from the services' /q/metrics, CPU used per process (our JVMs, the fake model, our Redis
# server, our PostgreSQL connections, the load generator) as CPU-ms per turn, each JVM's RSS and (JFR=1) the hottest
# methods; then (PEER=1) runs the peer (its run.sh, variant postgres-redis) with the same parameters right after, on
# the same Redis and PostgreSQL, and prints the ratio. Appends a dated section to bench/RESULTS.md and ends with one
# summary line: turns/s, p99, errors, CPU-ms per turn, ratio to the peer.
#
#   bench/run.sh                                      # the target load: 32 clients, unique texts, 10-turn sessions,
#                                                     # instant model, 30 s measured; then the peer
#   PEER=0 bench/run.sh                               # Switchboard only
#   JFR=1 PEER=0 bench/run.sh                         # + JFR profile of every service JVM during the measured run
#   MODEL_LATENCY_MS=50 bench/run.sh                  # a slower model
#   SUPERVISORS=2 LOADGEN=wrk bench/run.sh            # two replicas (wrk spreads the clients over both ports)
#
# Parameters (environment): LOADGEN (peer: load.mjs of PEER_BENCH; wrk: bench/chat.lua, equivalent load — unique texts
# built from bench/messages.txt's templates, needs wrk), PEER_BENCH (../shared/peer-bench; copied to bench/.run/peer-bench
# and installed there with npm ci once), PEER (1: run the peer after Switchboard; 0: not), SUPERVISORS (1|2; 2 needs
# LOADGEN=wrk), CLIENTS (32), DURATION (s, 30), WARMUP (s, 45: the JITs are still compiling after 20 s),
# MODEL_LATENCY_MS (0), TURNS_PER_SESSION (10), EMBEDDING_CACHE (0: ROUTER_EMBEDDING_CACHE_SIZE=0 — with unique texts a
# cache by text never hits anyway; 1: the shipped cache), MAX_CONCURRENT_SESSIONS (1000), QUIET_WAIT (s, 60: load.mjs
# waits at most this long for the machine to be idle before measuring), MAX_OTHER (25: % of one core other processes
# may use during the measurement before load.mjs measures again), RETRIES (1: how often at most), JFR (0|1), LABEL
# (free text for the results heading), RESULTS (file, default bench/RESULTS.md; RESULTS=/dev/null to not record),
# PORT_BASE (19000: supervisors PORT_BASE, +100; registry +1, state +2, prompts +3, fake model +90; the peer +95/+96),
# BENCH_JAVA_OPTS (extra JVM options for the services), SERVICE_ENV (extra KEY=VALUE settings, space-separated, given
# to every service), SKIP_BUILD (1: never build), FAKE_CHECK (1: first measure the fake model alone at the same
# concurrency), RESET_DATA (1: empty the services' schemas in DATABASE_URL and the Redis database of REDIS_URL first;
# always done for the benchmark's own database).
# Needs: a JDK 21+, node and npm (LOADGEN=peer), python3, curl; Redis and PostgreSQL from REDIS_URL/DATABASE_URL or
# local servers on 127.0.0.1:6379/:5432 (then a fresh database switchboard_bench, created with psql, and Redis logical
# database 9, flushed with redis-cli, are used).
# Everything a run leaves is in bench/.run/<UTC stamp>/ (service logs, raw measurements, JFR recordings, the peer's
# results).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
RUN_DIR="$BENCH/.run"
LOGS="$RUN_DIR/logs"
APPS="$RUN_DIR/apps"

SUPERVISORS="${SUPERVISORS:-1}"
CLIENTS="${CLIENTS:-32}"
DURATION="${DURATION:-30}"
WARMUP="${WARMUP:-45}"
MODEL_LATENCY_MS="${MODEL_LATENCY_MS:-0}"
TURNS_PER_SESSION="${TURNS_PER_SESSION:-10}"
EMBEDDING_CACHE="${EMBEDDING_CACHE:-0}"
MAX_CONCURRENT_SESSIONS="${MAX_CONCURRENT_SESSIONS:-1000}"
LOADGEN="${LOADGEN:-peer}"
PEER_BENCH="${PEER_BENCH:-$ROOT/../shared/peer-bench}"
PEER="${PEER:-1}"
QUIET_WAIT="${QUIET_WAIT:-60}"
MAX_OTHER="${MAX_OTHER:-25}"
RETRIES="${RETRIES:-1}"
JFR="${JFR:-0}"
LABEL="${LABEL:-}"
RESULTS="${RESULTS:-$BENCH/RESULTS.md}"
PORT_BASE="${PORT_BASE:-19000}"
SKIP_BUILD="${SKIP_BUILD:-0}"
FAKE_CHECK="${FAKE_CHECK:-1}"
RESET_DATA="${RESET_DATA:-0}"
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-}"
SERVICE_ENV="${SERVICE_ENV:-}"
READY_TIMEOUT="${READY_TIMEOUT:-240}"

MODEL_PORT=$((PORT_BASE + 90))
PEER_LLM_PORT=$((PORT_BASE + 95))
PEER_PORT=$((PORT_BASE + 96))
REGISTRY_PORT=$((PORT_BASE + 1))
STATE_PORT=$((PORT_BASE + 2))
PROMPTS_PORT=$((PORT_BASE + 3))
SUPERVISOR_PORTS=()
for ((i = 0; i < SUPERVISORS; i++)); do SUPERVISOR_PORTS+=($((PORT_BASE + 100 * i))); done

say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

[[ "$SUPERVISORS" =~ ^[12]$ ]] || die "SUPERVISORS must be 1 or 2"
[[ "$CLIENTS" =~ ^[0-9]+$ && "$CLIENTS" -ge 1 ]] || die "CLIENTS must be a positive number"
[[ "$LOADGEN" =~ ^(peer|wrk)$ ]] || die "LOADGEN must be peer or wrk"
[ "$LOADGEN" = wrk ] || [ "$SUPERVISORS" = 1 ] || die "SUPERVISORS=2 needs LOADGEN=wrk (load.mjs drives one URL)"
if [ "$LOADGEN" = wrk ]; then
  command -v wrk >/dev/null || die "wrk is needed for LOADGEN=wrk (Debian/Ubuntu: apt-get install -y wrk)"
fi
if [ "$LOADGEN" = peer ] || [ "$PEER" = 1 ]; then
  command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed (Debian: apt-get install -y nodejs npm)"
  [ -f "$PEER_BENCH/load.mjs" ] || die "no peer benchmark at $PEER_BENCH (set PEER_BENCH, or LOADGEN=wrk PEER=0)"
fi
command -v python3 >/dev/null || die "python3 is needed (for the report)"
command -v curl >/dev/null || die "curl is needed"

JAVA_HOME="$("$ROOT/.mvn/find-jdk")" || exit 1
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1; }

# ---------------------------------------------------------------- processes we start, stopped on exit
declare -A PIDS=()   # name -> pid
SAMPLER_PID=""
# Stops every process of the suite this script started: supervisors first, then the peers, then the fake model.
stop_suite() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=""
  local name pid
  # supervisors first, then the peers, then the fake model
  for name in $(printf '%s\n' "${!PIDS[@]}" | sort -r); do
    pid="${PIDS[$name]}"
    kill -TERM "$pid" 2>/dev/null || true
  done
  for name in "${!PIDS[@]}"; do
    pid="${PIDS[$name]}"
    local i=0
    while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 60 ]; do sleep 0.5; i=$((i + 1)); done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; say "$name (pid $pid) killed"; fi
  done
  [ "${#PIDS[@]}" -gt 0 ] && say "stopped everything the benchmark started"
  PIDS=()
}
cleanup() {
  local rc=$?
  stop_suite
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- build and snapshot the jars
SERVICES=(agent-registry-service state-service prompt-service supervisor-service)
needs_build() {
  local svc jar
  for svc in "${SERVICES[@]}"; do
    jar="$ROOT/$svc/target/quarkus-app/quarkus-run.jar"
    [ -f "$jar" ] || return 0
    [ -z "$(find "$ROOT/$svc/src/main" "$ROOT/switchboard-common/src/main" -newer "$jar" -type f -print -quit 2>/dev/null)" ] || return 0
  done
  return 1
}
mkdir -p "$LOGS" "$APPS"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
OTHER_JAVA="$(pgrep -x java | wc -l || true)"   # before we start any: JVMs of others sharing the machine
if [ "$SKIP_BUILD" != 1 ] && needs_build; then
  say "building the services (./mvnw package -DskipTests; log $LOGS/build.log)"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests -pl "switchboard-common,$(IFS=,; echo "${SERVICES[*]}")" -am package) \
    >"$LOGS/build.log" 2>&1 || { tail -30 "$LOGS/build.log" >&2; die "build failed"; }
fi
# Private copies: a rebuild of target/ while the benchmark runs must not pull the jars from under the JVMs.
for svc in "${SERVICES[@]}"; do
  src="$ROOT/$svc/target/quarkus-app"
  [ -f "$src/quarkus-run.jar" ] || die "$src/quarkus-run.jar missing (run without SKIP_BUILD=1)"
  if [ ! -f "$APPS/$svc/quarkus-run.jar" ] || [ "$src/quarkus-run.jar" -nt "$APPS/$svc/quarkus-run.jar" ] \
     || [ -n "$(find "$src" -newer "$APPS/$svc/quarkus-run.jar" -type f -print -quit)" ]; then
    rm -rf "${APPS:?}/$svc.tmp"; cp -a "$src" "$APPS/$svc.tmp"; rm -rf "${APPS:?}/$svc"; mv "$APPS/$svc.tmp" "$APPS/$svc"
    touch "$APPS/$svc/quarkus-run.jar"
  fi
done
COMMIT="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
DIRTY="$(cd "$ROOT" && git status --porcelain -- "${SERVICES[@]}" switchboard-common 2>/dev/null | wc -l)"

# ---------------------------------------------------------------- infrastructure
if [ -z "${REDIS_URL:-}" ]; then
  port_open 6379 || die "no Redis on 127.0.0.1:6379 (or set REDIS_URL)"
  REDIS_URL="redis://127.0.0.1:6379/9"
  RESET_DATA_REDIS=1
fi
if [ -z "${DATABASE_URL:-}" ]; then
  port_open 5432 || die "no PostgreSQL on 127.0.0.1:5432 (or set DATABASE_URL)"
  command -v psql >/dev/null || die "psql is needed to create the database switchboard_bench (or set DATABASE_URL)"
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS switchboard_bench WITH (FORCE)" \
    -c "CREATE DATABASE switchboard_bench" >/dev/null
  DATABASE_URL="postgresql://postgres@127.0.0.1:5432/switchboard_bench"
fi
export REDIS_URL DATABASE_URL
# redis://[user:pass@]host:port[/db]
REDIS_HOSTPORT="${REDIS_URL#*://}"; REDIS_HOSTPORT="${REDIS_HOSTPORT##*@}"; REDIS_HOSTPORT="${REDIS_HOSTPORT%%/*}"
REDIS_PORT="${REDIS_HOSTPORT##*:}"; [[ "$REDIS_PORT" =~ ^[0-9]+$ ]] || REDIS_PORT=6379
REDIS_DB="${REDIS_URL#*://}"; REDIS_DB="${REDIS_DB#*/}"; [[ "$REDIS_DB" =~ ^[0-9]+$ ]] || REDIS_DB=0
if [ "$RESET_DATA" = 1 ] || [ "${RESET_DATA_REDIS:-0}" = 1 ]; then
  if command -v redis-cli >/dev/null; then redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -n "$REDIS_DB" FLUSHDB >/dev/null; fi
fi
if [ "$RESET_DATA" = 1 ]; then
  command -v psql >/dev/null || die "RESET_DATA=1 needs psql"
  psql -q "$DATABASE_URL" -c "DROP SCHEMA IF EXISTS state, registry, prompts, supervisor CASCADE" >/dev/null 2>&1 \
    || die "could not empty the services' schemas in $DATABASE_URL"
fi
# Our Redis server: the process listening on REDIS_URL's port (others' Redis servers may share the machine).
REDIS_PID="$(ss -Htlnp "sport = :$REDIS_PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)"

for p in "$MODEL_PORT" "$REGISTRY_PORT" "$STATE_PORT" "$PROMPTS_PORT" "${SUPERVISOR_PORTS[@]}" \
    $([ "$PEER" = 1 ] && echo "$PEER_LLM_PORT $PEER_PORT"); do
  port_open "$p" && die "port $p is taken (set PORT_BASE)"
done

# ---------------------------------------------------------------- the peer benchmark's load generator
# A private copy of the peer benchmark (its files are read-only and it installs node_modules beside itself), installed
# from its own package-lock.json, so load.mjs and autocannon are exactly the peer's. Refreshed when the peer changes.
PEER_COPY="$RUN_DIR/peer-bench"
if [ "$LOADGEN" = peer ] || [ "$PEER" = 1 ]; then
  mkdir -p "$PEER_COPY"
  for f in "$PEER_BENCH"/* "$PEER_BENCH"/.gitignore; do
    if [ -f "$f" ] && ! cmp -s "$f" "$PEER_COPY/$(basename "$f")"; then
      cp "$f" "$PEER_COPY/"
    fi
  done
  chmod -R u+w "$PEER_COPY"
  if [ ! -d "$PEER_COPY/node_modules" ] || ! cmp -s "$PEER_COPY/package-lock.json" "$PEER_COPY/node_modules/.installed-lock.json"; then
    say "installing the peer benchmark's packages (npm ci in $PEER_COPY; once)"
    (cd "$PEER_COPY" && npm ci --no-audit --no-fund >"$RUN_DIR/npm-ci.log" 2>&1) || { tail -20 "$RUN_DIR/npm-ci.log" >&2; die "npm ci failed"; }
    cp "$PEER_COPY/package-lock.json" "$PEER_COPY/node_modules/.installed-lock.json"
  fi
fi

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$RUN_DIR/$STAMP"
LOGS="$OUT/logs"   # each run keeps its own service logs
mkdir -p "$OUT" "$LOGS"
say "run $STAMP: SUPERVISORS=$SUPERVISORS CLIENTS=$CLIENTS DURATION=${DURATION}s MODEL_LATENCY_MS=$MODEL_LATENCY_MS (raw data: $OUT)"

# ---------------------------------------------------------------- fake model
"$JAVA" -XX:+UseSerialGC -Xmx256m -XX:TieredStopAtLevel=1 -Dsun.net.httpserver.nodelay=true "$BENCH/FakeModel.java" "$MODEL_PORT" "$MODEL_LATENCY_MS" \
  >"$LOGS/fake-model.log" 2>&1 &
PIDS[fake-model]=$!
for _ in $(seq 1 60); do port_open "$MODEL_PORT" && break; sleep 0.5; done
port_open "$MODEL_PORT" || { cat "$LOGS/fake-model.log" >&2; die "fake model did not start"; }

MODEL_BODY='{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful agent."},{"role":"user","content":"Check my calendar for tomorrow"}]}'
if [ "$FAKE_CHECK" = 1 ]; then
  say "fake model alone: $CLIENTS connections, 5 s"
  if [ -x "$PEER_COPY/node_modules/.bin/autocannon" ]; then
    "$PEER_COPY/node_modules/.bin/autocannon" -c "$CLIENTS" -d 5 -m POST -H "content-type=application/json" -b "$MODEL_BODY" \
      --json "http://127.0.0.1:$MODEL_PORT/v1/chat/completions" >"$OUT/fake-check.json" 2>/dev/null || true
  elif command -v wrk >/dev/null; then
    printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[%s]]\n' "$MODEL_BODY" >"$RUN_DIR/model-post.lua"
    wrk -t 2 -c "$CLIENTS" -d 5s --latency -s "$RUN_DIR/model-post.lua" "http://127.0.0.1:$MODEL_PORT/v1/chat/completions" \
      >"$OUT/fake-check.txt" 2>&1 || true
  fi
fi

# ---------------------------------------------------------------- services
# Authentication on, as in production: a fresh admin key per run (admin may chat for every bench user id;
# each client stays its own user for the rate limit), the service token and a JWT secret for the services.
random_hex() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
BENCH_API_KEY="sb_bench_$(random_hex)"
export BENCH_API_KEY
export SWITCHBOARD_API_KEYS="bench-admin:admin:$(printf '%s' "$BENCH_API_KEY" | sha256sum | cut -d' ' -f1)"
export SERVICE_TOKEN="$(random_hex)" JWT_SECRET_KEY="$(random_hex)"
start_service() { # name module port [extra env...]
  local name="$1" module="$2" port="$3"; shift 3
  local jvm_opts=() extra_env=()
  [ -n "$BENCH_JAVA_OPTS" ] && read -r -a jvm_opts <<<"$BENCH_JAVA_OPTS"
  [ -n "$SERVICE_ENV" ] && read -r -a extra_env <<<"$SERVICE_ENV"
  env PORT="$port" HOST=127.0.0.1 "$@" "${extra_env[@]}" "$JAVA" "${jvm_opts[@]}" -jar "$APPS/$module/quarkus-run.jar" \
    >"$LOGS/$name.log" 2>&1 &
  PIDS[$name]=$!
}
wait_ready() { # name port
  local name="$1" port="$2" deadline=$(( $(date +%s) + READY_TIMEOUT ))
  until curl -fsS -m 2 "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
    kill -0 "${PIDS[$name]}" 2>/dev/null || { tail -30 "$LOGS/$name.log" >&2; die "$name exited during start"; }
    [ "$(date +%s)" -lt "$deadline" ] || die "$name not ready after ${READY_TIMEOUT}s (log $LOGS/$name.log)"
    sleep 0.5
  done
}
t0=$(date +%s)
start_service agent-registry-service agent-registry-service "$REGISTRY_PORT"
start_service state-service state-service "$STATE_PORT"
start_service prompt-service prompt-service "$PROMPTS_PORT"
wait_ready agent-registry-service "$REGISTRY_PORT"
wait_ready state-service "$STATE_PORT"
wait_ready prompt-service "$PROMPTS_PORT"
for ((i = 0; i < SUPERVISORS; i++)); do
  start_service "supervisor-$((i + 1))" supervisor-service "${SUPERVISOR_PORTS[$i]}" \
    SUPERVISOR_ID="bench-supervisor-$((i + 1))" \
    AGENT_REGISTRY_URL="http://127.0.0.1:$REGISTRY_PORT" STATE_SERVICE_URL="http://127.0.0.1:$STATE_PORT" \
    PROMPT_SERVICE_URL="http://127.0.0.1:$PROMPTS_PORT" \
    OPENAI_BASE_URL="http://127.0.0.1:$MODEL_PORT/v1/" OPENAI_API_KEY="bench-key" OPENAI_MODEL="gpt-4o-mini" \
    RATE_LIMIT_PER_MINUTE=0 MAX_CONCURRENT_SESSIONS="$MAX_CONCURRENT_SESSIONS" \
    $([ "$EMBEDDING_CACHE" = 1 ] || echo ROUTER_EMBEDDING_CACHE_SIZE=0)
done
for ((i = 0; i < SUPERVISORS; i++)); do
  wait_ready "supervisor-$((i + 1))" "${SUPERVISOR_PORTS[$i]}"
  for _ in $(seq 1 60); do
    curl -fsS -m 2 "http://127.0.0.1:${SUPERVISOR_PORTS[$i]}/health" 2>/dev/null | grep -q '"status":"healthy"' && break
    sleep 0.5
  done
done
say "suite ready in $(( $(date +%s) - t0 )) s: supervisors on ${SUPERVISOR_PORTS[*]}, peers on $REGISTRY_PORT/$STATE_PORT/$PROMPTS_PORT, model on $MODEL_PORT"

python3 "$BENCH/route_check.py" "$BENCH/messages.txt" "http://127.0.0.1:${SUPERVISOR_PORTS[0]}" 10 >"$OUT/routing-check.txt" \
  2>&1 || say "routing check failed (see $OUT/routing-check.txt)"
say "message set through POST /route: $(tail -1 "$OUT/routing-check.txt" | cut -f2-)"

PORTS_CSV="$(IFS=,; echo "${SUPERVISOR_PORTS[*]}")"
# run_load SECONDS RUN-ID RESULT-FILE [measured]: one closed-loop run of CLIENTS clients, the result as the generator
# writes it (load.mjs: its JSON result; wrk: chat.lua's summary). Only the measured run waits for a quiet machine and
# names the processes whose CPU load.mjs should count.
run_load() {
  if [ "$LOADGEN" = wrk ]; then
    BENCH_PORTS="$PORTS_CSV" BENCH_MESSAGES="$BENCH/messages.txt" BENCH_RUN="$2" TURNS_PER_SESSION="$TURNS_PER_SESSION" \
      BENCH_SUMMARY="$3" BENCH_UNIQUE=1 \
      wrk -t "$CLIENTS" -c "$CLIENTS" -d "${1}s" --timeout 10s -s "$BENCH/chat.lua" "http://127.0.0.1:${SUPERVISOR_PORTS[0]}"
    return
  fi
  local quiet=(--quiet-wait 0 --max-other 100000 --retries 0) pids=""
  if [ "${4:-}" = measured ]; then
    quiet=(--quiet-wait "$QUIET_WAIT" --max-other "$MAX_OTHER" --retries "$RETRIES")
    local name
    for name in "${JVM_NAMES[@]}"; do pids="$pids${pids:+,}$name:${PIDS[$name]}"; done
  fi
  (cd "$PEER_COPY" && LOAD_UNIQUE=1 LOAD_AUTHORIZATION="Bearer $BENCH_API_KEY" LLM_LATENCY_MS="$MODEL_LATENCY_MS" \
    node load.mjs --url "http://127.0.0.1:${SUPERVISOR_PORTS[0]}" -c "$CLIENTS" -d "$1" --warmup 0 \
      --session-turns "$TURNS_PER_SESSION" --label "$2" "${quiet[@]}" --llm-stats "http://127.0.0.1:$MODEL_PORT/stats" \
      ${pids:+--pids "$pids"} --out "$3")
}
# Errors in a result of run_load: non-2xx answers, socket errors and timeouts.
load_errors() {
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
if "statuses" in d:
    print(sum(v for k, v in d["statuses"].items() if k != "200") + sum(d["errors"][k] for k in ("connect", "read", "write", "timeout")))
else:
    print(d["errors"] + d["non2xx"] + d["timeouts"])' "$1"
}
JVM_NAMES=(fake-model agent-registry-service state-service prompt-service)
for ((i = 0; i < SUPERVISORS; i++)); do JVM_NAMES+=("supervisor-$((i + 1))"); done

# Warm-up: a gentle start (a quarter of the clients: cold JITs make the first calls slow, and peer-call timeouts
# would open the supervisor's circuit breakers), then all clients; repeated (at most 3 times, after the 5 s
# breaker delay) while it still sees errors.
ramp_clients=$(( CLIENTS >= 4 ? CLIENTS / 4 : 1 ))
say "warm-up ($LOADGEN): $ramp_clients clients for $(( (WARMUP + 2) / 3 )) s, then $CLIENTS clients for ${WARMUP} s"
CLIENTS_SAVED="$CLIENTS"; CLIENTS="$ramp_clients"
run_load "$(( (WARMUP + 2) / 3 ))" "v$STAMP" "$OUT/warmup-ramp.json" >"$OUT/warmup-ramp.txt" 2>&1 || die "warm-up failed: $(cat "$OUT/warmup-ramp.txt")"
CLIENTS="$CLIENTS_SAVED"
WARMUP_ROUNDS=0
for round in 1 2 3; do
  WARMUP_ROUNDS=$round
  run_load "$WARMUP" "w$round$STAMP" "$OUT/warmup.json" >"$OUT/warmup.txt" 2>&1 || die "warm-up failed: $(cat "$OUT/warmup.txt")"
  werr=$(load_errors "$OUT/warmup.json")
  [ "$werr" = 0 ] && break
  say "warm-up round $round saw $werr errors; waiting 6 s for the circuit breakers, then again"
  sleep 6
done

# ---------------------------------------------------------------- snapshots before
# PostgreSQL processes working for us: the connections to our database and the shared WAL writer, checkpointer and
# background writer (other databases on the same server are someone else's); every postgres process without psql.
postgres_pids() {
  if command -v psql >/dev/null; then
    psql -At "$DATABASE_URL" -c "SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND (datname = current_database()
      OR backend_type IN ('walwriter', 'checkpointer', 'background writer'))" 2>/dev/null && return
  fi
  pgrep -x postgres || true
}
snapshot() { # phase
  local phase="$1" name port
  for ((i = 0; i < SUPERVISORS; i++)); do
    curl -fsS -m 5 "http://127.0.0.1:${SUPERVISOR_PORTS[$i]}/q/metrics" >"$OUT/metrics-supervisor-$((i + 1))-$phase.txt" || true
  done
  for entry in "agent-registry-service:$REGISTRY_PORT" "state-service:$STATE_PORT" "prompt-service:$PROMPTS_PORT"; do
    curl -fsS -m 5 "http://127.0.0.1:${entry##*:}/q/metrics" >"$OUT/metrics-${entry%%:*}-$phase.txt" || true
  done
  curl -fsS -m 5 "http://127.0.0.1:$MODEL_PORT/__stats" >"$OUT/model-$phase.json" || true
  {
    echo "clk_tck $(getconf CLK_TCK)"
    echo "time $(date +%s.%N)"
    echo "stat $(head -1 /proc/stat)"
    for name in "${JVM_NAMES[@]}"; do echo "proc $name ${PIDS[$name]} $(cut -d' ' -f14,15 "/proc/${PIDS[$name]}/stat")"; done
    for pid in ${REDIS_PID:-$(pgrep -x redis-server)}; do echo "proc redis $pid $(cut -d' ' -f14,15 "/proc/$pid/stat" 2>/dev/null)"; done
    for pid in $(postgres_pids); do echo "proc postgres $pid $(cut -d' ' -f14,15 "/proc/$pid/stat" 2>/dev/null)"; done
  } >"$OUT/cpu-$phase.txt"
  for name in "${JVM_NAMES[@]}"; do cat "/proc/${PIDS[$name]}"/task/*/stat >"$OUT/threads-$name-$phase.txt" 2>/dev/null || true; done
}
# Turns cut off by the end of the warm-up still finish on the server: let them drain before measuring.
# Drained = the fake model has nothing in flight and saw no new call for 1.5 s (at most 30 s).
drain() {
  local i stats last=""
  for i in $(seq 1 60); do
    stats="$(curl -fsS -m 2 "http://127.0.0.1:$MODEL_PORT/__stats" 2>/dev/null || true)"
    if [[ "$stats" == *'"in_flight":0,'* && "$stats" == "$last" ]]; then break; fi
    last="$stats"
    sleep 1.5
  done
}
drain
snapshot before

( while true; do
    for name in "${JVM_NAMES[@]}"; do echo "$(date +%s) $name $(ps -o rss= -p "${PIDS[$name]}" 2>/dev/null | tr -d ' ')"; done
    sleep 1
  done ) >"$OUT/rss.txt" 2>/dev/null &
SAMPLER_PID=$!

if [ "$JFR" = 1 ]; then
  for name in "${JVM_NAMES[@]}"; do
    [ "$name" = fake-model ] && continue
    "$JAVA_HOME/bin/jcmd" "${PIDS[$name]}" JFR.start name=bench settings=profile >/dev/null 2>&1 || say "JFR.start failed for $name"
  done
fi

# ---------------------------------------------------------------- the measured run
say "measured run: $CLIENTS clients over ${#SUPERVISOR_PORTS[@]} supervisor(s), ${DURATION} s"
TIMEFORMAT='%U %S'
RESULT_FILE="$OUT/$([ "$LOADGEN" = wrk ] && echo wrk || echo load).json"
{ time run_load "$DURATION" "r$STAMP" "$RESULT_FILE" measured >"$OUT/load.txt" 2>&1 ; } 2>"$OUT/loadgen-cpu.txt" \
  || die "the load generator failed: $(cat "$OUT/load.txt")"
drain
snapshot after
for name in "${JVM_NAMES[@]}"; do
  "$JAVA_HOME/bin/jcmd" "${PIDS[$name]}" Thread.print >"$OUT/thread-dump-$name.txt" 2>/dev/null || true
done
kill "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
for name in "${JVM_NAMES[@]}"; do ps -o rss= -p "${PIDS[$name]}" | tr -d ' ' | sed "s/^/$(date +%s) $name /"; done >>"$OUT/rss.txt"

if [ "$JFR" = 1 ]; then
  for name in "${JVM_NAMES[@]}"; do
    [ "$name" = fake-model ] && continue
    "$JAVA_HOME/bin/jcmd" "${PIDS[$name]}" JFR.stop name=bench filename="$OUT/$name.jfr" >/dev/null 2>&1 || say "JFR.stop failed for $name"
  done
fi
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- the peer, right after, alone on the machine
if [ "$PEER" = 1 ]; then
  stop_suite
  say "the peer (LangGraph.js supervisor, PostgreSQL checkpointer + Redis session): same clients, turns per session, \
model latency and duration"
  peer_results="$PEER_COPY/results"
  before_runs="$(ls "$peer_results" 2>/dev/null | sort | tail -1 || true)"
  (cd "$PEER_COPY" && env LOAD_UNIQUE=1 C="$CLIENTS" D="$DURATION" LATENCIES="$MODEL_LATENCY_MS" SESSION_TURNS="$TURNS_PER_SESSION" \
    LLM_PORT="$PEER_LLM_PORT" PEER_PORT="$PEER_PORT" QUIET_WAIT="$QUIET_WAIT" MAX_OTHER="$MAX_OTHER" RETRIES="$RETRIES" \
    PG_URL="$DATABASE_URL" REDIS_URL="$REDIS_URL" ./run.sh postgres-redis) >"$OUT/peer.txt" 2>&1 \
    || say "the peer benchmark failed (see $OUT/peer.txt)"
  latest="$(ls "$peer_results" 2>/dev/null | sort | tail -1 || true)"
  if [ -n "$latest" ] && [ "$latest" != "$before_runs" ] && [ -f "$peer_results/$latest/postgres-redis-lat$MODEL_LATENCY_MS.json" ]; then
    cp "$peer_results/$latest/postgres-redis-lat$MODEL_LATENCY_MS.json" "$OUT/peer.json"
  fi
fi

# ---------------------------------------------------------------- report
CPU_MODEL="$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
MEM_TOTAL="$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
JDK="$("$JAVA" -version 2>&1 | head -1)"
CMD="LOADGEN=$LOADGEN PEER=$PEER SUPERVISORS=$SUPERVISORS CLIENTS=$CLIENTS DURATION=$DURATION MODEL_LATENCY_MS=$MODEL_LATENCY_MS TURNS_PER_SESSION=$TURNS_PER_SESSION EMBEDDING_CACHE=$EMBEDDING_CACHE"
[ "$JFR" = 1 ] && CMD="$CMD JFR=1"
[ -n "$SERVICE_ENV" ] && CMD="SERVICE_ENV=\"$SERVICE_ENV\" $CMD"
[ -n "$BENCH_JAVA_OPTS" ] && CMD="BENCH_JAVA_OPTS=\"$BENCH_JAVA_OPTS\" $CMD"
CMD="$CMD bench/run.sh"

python3 "$BENCH/report.py" "$OUT" \
  --label "$LABEL" --command "$CMD" --supervisors "$SUPERVISORS" --clients "$CLIENTS" --duration "$DURATION" \
  --warmup "$WARMUP" --warmup-rounds "$WARMUP_ROUNDS" --model-latency-ms "$MODEL_LATENCY_MS" --turns-per-session "$TURNS_PER_SESSION" \
  --embedding-cache "$EMBEDDING_CACHE" \
  --nproc "$(nproc)" --cpu "$CPU_MODEL" --mem "$MEM_TOTAL" --jdk "$JDK" --commit "$COMMIT" --dirty "$DIRTY" \
  --loadavg "$LOAD_START / $LOAD_END" --other-java "$OTHER_JAVA" --jfr "$JFR" --jfr-tool "$JAVA_HOME/bin/jfr" \
  --loadgen "$LOADGEN" --summary "$OUT/summary.txt" >"$OUT/section.md"
cat "$OUT/section.md"
if [ "$RESULTS" != /dev/null ]; then
  if [ ! -f "$RESULTS" ]; then
    printf '# Switchboard benchmark results\n\nWritten by `bench/run.sh` (one dated section per run, newest last). See the\nscript header for what is measured and how.\n' >"$RESULTS"
  fi
  { echo; cat "$OUT/section.md"; } >>"$RESULTS"
  say "appended to $RESULTS"
fi
cat "$OUT/summary.txt"
