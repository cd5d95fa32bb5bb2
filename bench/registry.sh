#!/usr/bin/env bash
# bench/registry.sh — agent registry benchmark against its targets: registration latency
# p50/p99 at a steady rate (target p99 < 10 ms; required < 100 ms and zero failures), next to the floor of the
# machine (an empty request at the same rate) and the saturated burst rate, propagation delay from registration to
# routable in every supervisor (target p99 < 100 ms), heartbeat success rate (99.9 %). Appends a dated section
# to bench/RESULTS.md. The measuring client is bench/RegistryBench.java (JDK source launcher, no build).
#
#   ./switchboard up --supervisors 2 && bench/registry.sh       # against a running suite (default URLs)
#   START=1 SUPERVISORS=3 bench/registry.sh                      # start the suite itself (and stop it after)
#   REGISTRATIONS=2000 CONCURRENCY=16 bench/registry.sh
#
# Parameters (environment): REGISTRY_URL (http://localhost:8001), SUPERVISOR_URLS (comma-separated; default
# http://localhost:8000, or with START=1 the SUPERVISORS replicas on 8000, 8100, ...), START (0|1), SUPERVISORS (2),
# RATE (20 per second: the steady registration rate and the floor's), PACED (300 registrations at RATE), FLOOR (300
# GET /q/health/live at RATE, beside the paced registrations), WARMUP (200 registrations, not measured), REGISTRATIONS (500, the burst), CONCURRENCY (8, the burst's), PROPAGATIONS (50), HEARTBEATS (1000), POLL_MS (2), LABEL (free text),
# RESULTS (file, default bench/RESULTS.md; /dev/null to not record).
# Propagation is event-driven (sb:events:agents → each supervisor refreshes its cache and router index); without
# events it would be bounded by REGISTRY_SYNC_INTERVAL (5 s). Every agent the run creates is deleted afterwards.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
START="${START:-0}"
SUPERVISORS="${SUPERVISORS:-2}"
RESULTS="${RESULTS:-$BENCH/RESULTS.md}"
LABEL="${LABEL:-}"
export REGISTRY_URL="${REGISTRY_URL:-http://localhost:8001}"
if [ -z "${SUPERVISOR_URLS:-}" ]; then
  if [ "$START" = 1 ]; then
    urls=()
    for ((i = 0; i < SUPERVISORS; i++)); do urls+=("http://localhost:$((8000 + 100 * i))"); done
    SUPERVISOR_URLS="$(IFS=,; echo "${urls[*]}")"
  else
    SUPERVISOR_URLS="http://localhost:8000"
  fi
fi
export SUPERVISOR_URLS

JAVA_HOME="$("$ROOT/.mvn/find-jdk")" || exit 1
JAVA="$JAVA_HOME/bin/java"
started=0
cleanup() { if [ "$started" = 1 ]; then "$ROOT/switchboard" down || true; fi; }
trap cleanup EXIT

if [ "$START" = 1 ]; then
  "$ROOT/switchboard" up --supervisors "$SUPERVISORS"
  started=1
fi
# registrations need the admin key; ./switchboard up wrote it to .switchboard/keys.env
if [ -z "${SWITCHBOARD_ADMIN_KEY:-}" ] && [ -f "$ROOT/.switchboard/keys.env" ]; then
  SWITCHBOARD_ADMIN_KEY="$(sed -n 's/^SWITCHBOARD_ADMIN_KEY=//p' "$ROOT/.switchboard/keys.env")"
fi
[ -n "${SWITCHBOARD_ADMIN_KEY:-}" ] || { echo "SWITCHBOARD_ADMIN_KEY is not set and .switchboard/keys.env has none (./switchboard up)" >&2; exit 1; }
export SWITCHBOARD_ADMIN_KEY
for url in "$REGISTRY_URL" ${SUPERVISOR_URLS//,/ }; do
  curl -fsS -m 5 "$url/q/health/ready" >/dev/null || { echo "not ready: $url (./switchboard up, or START=1)" >&2; exit 1; }
done

stamp="$(date -u '+%Y-%m-%d %H:%M UTC')"
table="$("$JAVA" "$BENCH/RegistryBench.java")"
echo "$table"
{
  echo
  echo "## $stamp — registry: $(echo "$SUPERVISOR_URLS" | tr ',' '\n' | wc -l) supervisor(s)${LABEL:+ — $LABEL}"
  echo
  echo "Command: \`WARMUP=${WARMUP:-200} RATE=${RATE:-20} PACED=${PACED:-300} REGISTRATIONS=${REGISTRATIONS:-500} CONCURRENCY=${CONCURRENCY:-8} PROPAGATIONS=${PROPAGATIONS:-50}" \
       "HEARTBEATS=${HEARTBEATS:-1000} bench/registry.sh\` (HEAD $(git -C "$ROOT" rev-parse --short HEAD)," \
       "load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'))."
  echo
  echo "$table"
} >> "$RESULTS"
