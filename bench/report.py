#!/usr/bin/env python3
"""Turns the raw measurements of one bench/run.sh run (a directory under bench/.run/) into a Markdown section.

Inputs in the run directory: wrk.json (summary written by chat.lua), fake-check.txt, model-{before,after}.json,
metrics-<service>-{before,after}.txt (Prometheus text), cpu-{before,after}.txt, threads-<jvm>-{before,after}.txt
(/proc task stat lines), rss.txt (epoch name rss_kb), wrk-cpu.txt (user sys seconds), <jvm>.jfr (JFR=1).
Output: Markdown on stdout. Standard library only.
"""
import argparse
import collections
import glob
import json
import math
import os
import re
import subprocess
import sys

p = argparse.ArgumentParser()
p.add_argument("dir")
for opt in ("label", "command", "cpu", "mem", "jdk", "commit", "dirty", "loadavg", "other-java", "jfr-tool"):
    p.add_argument("--" + opt, default="")
for opt in ("supervisors", "clients", "duration", "warmup", "warmup-rounds", "model-latency-ms", "turns-per-session", "nproc", "jfr",
            "embedding-cache"):
    p.add_argument("--" + opt, type=int, default=0)
a = p.parse_args()
D = a.dir


def read(name, default=None):
    path = os.path.join(D, name)
    if not os.path.exists(path):
        return default
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def jload(name):
    text = read(name)
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def ms(us):
    return us / 1000.0


def f1(x):
    return "n/a" if x is None else f"{x:.1f}"


# ------------------------------------------------------------------ Prometheus text
LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+([-+0-9.eEinfNa]+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def prom(name):
    out = {}
    for line in (read(name) or "").splitlines():
        if line.startswith("#"):
            continue
        m = LINE.match(line)
        if not m:
            continue
        labels = tuple(sorted(LABEL.findall(m.group(3) or "")))
        try:
            out[(m.group(1), labels)] = float(m.group(4))
        except ValueError:
            pass
    return out


def delta(before, after):
    return {k: v - before.get(k, 0.0) for k, v in after.items()}


def families(d):
    """Groups timer/histogram series: (base, labels-without-le) -> {count, sum, buckets[(le, cum)]}."""
    fam = collections.defaultdict(lambda: {"count": 0.0, "sum": 0.0, "buckets": []})
    for (name, labels), v in d.items():
        for suffix in ("_count", "_sum", "_bucket"):
            if name.endswith(suffix):
                base = name[: -len(suffix)]
                rest = tuple(kv for kv in labels if kv[0] != "le")
                entry = fam[(base, rest)]
                if suffix == "_count":
                    entry["count"] += v
                elif suffix == "_sum":
                    entry["sum"] += v
                else:
                    le = dict(labels).get("le")
                    entry["buckets"].append((math.inf if le in ("+Inf", "Inf") else float(le), v))
    return fam


def quantile(buckets, q):
    """Linear interpolation inside cumulative buckets (Prometheus histogram_quantile)."""
    b = sorted(buckets)
    if not b or b[-1][1] <= 0:
        return None
    total = b[-1][1]
    rank = q * total
    prev_le, prev_c = 0.0, 0.0
    for le, c in b:
        if c >= rank:
            if math.isinf(le):
                return prev_le
            if c == prev_c:
                return le
            return prev_le + (le - prev_le) * (rank - prev_c) / (c - prev_c)
        prev_le, prev_c = le, c
    return b[-1][0]


def supervisor_names():
    return sorted({os.path.basename(f)[len("metrics-"):-len("-before.txt")]
                   for f in glob.glob(os.path.join(D, "metrics-supervisor-*-before.txt"))})


def service_delta(service):
    return delta(prom(f"metrics-{service}-before.txt"), prom(f"metrics-{service}-after.txt"))


# ------------------------------------------------------------------ load results
wrk = jload("wrk.json")
if not wrk:
    print(f"## Run {os.path.basename(D)}: no wrk summary (see {D}/wrk.txt)")
    sys.exit(0)
dur_s = wrk["duration_us"] / 1e6
reqs = wrk["requests"]
statuses = wrk.get("statuses") or {}
ok = int(statuses.get("200", 0))
non200 = sum(int(v) for k, v in statuses.items() if k != "200")
sock = sum(wrk["errors"][k] for k in ("connect", "read", "write", "timeout"))
errors = non200 + sock
rate = reqs / dur_s if dur_s else 0
ok_rate = ok / dur_s if dur_s else 0
lat = wrk["latency_us"]
methods = wrk.get("methods") or {}

mb, ma = jload("model-before.json") or {}, jload("model-after.json") or {}
model_calls = (ma.get("requests", 0) - mb.get("requests", 0))
router_calls = (ma.get("router_requests", 0) - mb.get("router_requests", 0))

sup = supervisor_names()
sup_d = {s: service_delta(s) for s in sup}
turns_metric = 0.0
for s in sup:
    for (name, labels), v in sup_d[s].items():
        if name == "switchboard_chat_turns_total":
            turns_metric += v
turn_den = turns_metric if turns_metric > 0 else reqs
calls_per_turn = model_calls / turn_den if turn_den else 0.0
L = a.model_latency_ms
whole_calls = round(calls_per_turn)
calls_exact = abs(calls_per_turn - whole_calls) < 0.02


def own(us):
    return ms(us) - whole_calls * L


# ------------------------------------------------------------------ CPU
def cpu_file(phase):
    procs = collections.defaultdict(float)
    tck, total, when = 100, None, None
    for line in (read(f"cpu-{phase}.txt") or "").splitlines():
        parts = line.split()
        if parts[0] == "clk_tck":
            tck = int(parts[1])
        elif parts[0] == "time":
            when = float(parts[1])
        elif parts[0] == "stat":
            vals = [int(x) for x in parts[2:]]
            total = (sum(vals), vals[3] + (vals[4] if len(vals) > 4 else 0))
        elif parts[0] == "proc" and len(parts) >= 5:
            procs[(parts[1], parts[2])] = int(parts[3]) + int(parts[4])
    return tck, total, procs, when


tck, tot_b, proc_b, t_b = cpu_file("before")
_, tot_a, proc_a, t_a = cpu_file("after")
window_s = (t_a - t_b) if t_a and t_b and t_a > t_b else dur_s
cpu_by = collections.defaultdict(float)
for key, v in proc_a.items():
    if key in proc_b:
        cpu_by[key[0]] += (v - proc_b[key]) / tck
busy_pct = None
if tot_b and tot_a and tot_a[0] > tot_b[0]:
    busy_pct = 100.0 * (1 - (tot_a[1] - tot_b[1]) / (tot_a[0] - tot_b[0]))
wrk_cpu = read("wrk-cpu.txt")
if wrk_cpu:
    try:
        u, s_ = (float(x) for x in wrk_cpu.split()[-2:])
        cpu_by["wrk (load generator)"] = u + s_
    except ValueError:
        pass

THREAD = re.compile(r'^(\d+) \((.*)\) \S+ ' + r'(?:\S+ ){10}(\d+) (\d+)')


def threads(name, phase):
    out = {}
    for line in (read(f"threads-{name}-{phase}.txt") or "").splitlines():
        m = THREAD.match(line)
        if m:
            out[m.group(1)] = (m.group(2), int(m.group(3)) + int(m.group(4)))
    return out


def thread_group(comm):
    c = comm
    for pat, g in ((r"^executor-thread", "executor (worker) threads"), (r"^vert\.x-eventloo", "vert.x event loops"),
                   (r"^vert\.x-worker", "vert.x workers"), (r"^vert\.x-interna", "vert.x internal blocking"),
                   (r"^C[12] CompilerTh", "JIT compiler"), (r"^(GC Thread|G1 |VM Thread|GC )", "GC / VM"),
                   (r"^java$", "main / unnamed"),
                   (r"^fake-model", "fake model threads"), (r"^HTTP-Dispatche", "HTTP dispatcher")):
        if re.search(pat, c):
            return g
    return "other: " + re.sub(r"[-#]?\d+$", "", c)


# ------------------------------------------------------------------ RSS
rss = collections.defaultdict(list)
for line in (read("rss.txt") or "").splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[2].isdigit():
        rss[parts[1]].append(int(parts[2]))

# ------------------------------------------------------------------ output
o = []
w = o.append
title = f"## {os.path.basename(D)[:4]}-{os.path.basename(D)[4:6]}-{os.path.basename(D)[6:8]} " \
        f"{os.path.basename(D)[9:11]}:{os.path.basename(D)[11:13]} UTC — {a.supervisors} supervisor(s), " \
        f"{a.clients} clients, model {L} ms" + (f" — {a.label}" if a.label else "")
w(title)
w("")
w(f"- Command: `{a.command}` (commit {a.commit}{', services with uncommitted changes' if a.dirty not in ('', '0') else ''})")
w(f"- Machine: {a.nproc} CPUs ({a.cpu}), {a.mem} RAM, {a.jdk}; load average at start / end: {a.loadavg}; "
  f"JVMs of others running at start: {a.other_java}")
w(f"- Parameters: {a.duration} s measured after warm-up ({(a.warmup + 2) // 3} s at a quarter of the clients, then "
  f"{a.warmup_rounds} × {a.warmup} s at all clients until one round had no errors); {a.clients} closed-loop clients "
  f"(one wrk connection each, own user and session, new session every {a.turns_per_session} turns); "
  f"RATE_LIMIT_PER_MINUTE=0, MAX_CONCURRENT_SESSIONS=1000; routing by content (no explicit agent); "
  + ("message embedding cache on (EMBEDDING_CACHE=1: the 869 possible texts repeat, so after warm-up nothing is"
     " embedded — the best case)" if a.embedding_cache
     else "message embedding cache off (EMBEDDING_CACHE=0: every message is embedded, as if every text were new)"))
w("")
w("| measure | value |")
w("|---|---|")
w(f"| turns/s (all responses / successful) | **{rate:.1f}** / {ok_rate:.1f} |")
w(f"| requests in {dur_s:.1f} s | {reqs} (HTTP 200: {ok}) |")
w(f"| errors | **{errors}** (non-200: {non200} {json.dumps({k: v for k, v in statuses.items() if k != '200'}) if non200 else ''}; socket connect/read/write/timeout: "
  f"{wrk['errors']['connect']}/{wrk['errors']['read']}/{wrk['errors']['write']}/{wrk['errors']['timeout']}) |")
w(f"| latency p50 / p90 / p99 / p99.9 / max (ms) | **{ms(lat['p50']):.1f}** / {ms(lat['p90']):.1f} / **{ms(lat['p99']):.1f}** / "
  f"{ms(lat['p999']):.1f} / {ms(lat['max']):.1f} |")
w(f"| latency mean ± stdev (ms) | {ms(lat['mean']):.1f} ± {ms(lat['stdev']):.1f} |")
w(f"| model calls per turn | {calls_per_turn:.3f} ({model_calls} calls, of which LLM-router calls {router_calls}) |")
w(f"| routing methods | {', '.join(f'{k} {v}' for k, v in sorted(methods.items(), key=lambda kv: -kv[1]))} |")
if calls_exact:
    w(f"| **Switchboard's own latency** (latency − {whole_calls} × {L} ms model time) p50 / p90 / p99 (ms) | "
      f"**{own(lat['p50']):.1f}** / {own(lat['p90']):.1f} / **{own(lat['p99']):.1f}** |")
else:
    w(f"| Switchboard's own latency | model calls per turn vary ({calls_per_turn:.3f}): see the per-stage table |")
fc = read("fake-check.txt")
if fc:
    m_rps = re.search(r"Requests/sec:\s+([\d.]+)", fc)
    m_99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", fc)
    if m_rps and m_99:
        v = float(m_99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m_99.group(2)]
        w(f"| fake model alone, same concurrency (5 s) | {float(m_rps.group(1)):.0f} calls/s, p99 {v:.1f} ms "
          f"(ideal {a.clients * 1000 / L if L else 0:.0f}/s at {L} ms) |")
late = ma.get("late_ms_max")
if late is not None:
    w(f"| fake model: worst reply lateness over the whole run / max concurrent calls | {late} ms / {ma.get('max_in_flight')} |")
w("")

# the suite's performance targets (2-core machine, everything on it)
own_p99 = own(lat["p99"]) if calls_exact else None
w("Performance targets, checked against this run:")
w("")
w("| target | this run | met? |")
w("|---|---|---|")
if a.clients >= 32:
    ceiling = a.clients * 1000.0 / L if L else float("inf")
    note = f" (closed-loop ceiling {a.clients} clients / {L} ms = {ceiling:.0f}/s)" if ceiling < 250 else ""
    w(f"| ≥ 250 turns/s at 32 clients{note} | {rate:.1f} turns/s | {'yes' if rate >= 250 else 'no'} |")
    w(f"| p99 < 200 ms at 32 clients (model time included) | {ms(lat['p99']):.1f} ms | {'yes' if ms(lat['p99']) < 200 else 'no'} |")
    w(f"| no errors | {errors} | {'yes' if errors == 0 else 'no'} |")
if 35 <= rate <= 70:
    w(f"| own overhead p99 < 10 ms at ~50 turns/s | "
      f"{'n/a (model calls per turn not constant)' if own_p99 is None else f'{own_p99:.1f} ms at {rate:.0f} turns/s'} | "
      f"{'n/a' if own_p99 is None else ('yes' if own_p99 < 10 else 'no')} |")
if a.supervisors == 2:
    w("| a second supervisor does not lower throughput | compare with the 1-supervisor run of the same parameters | see summary |")
w("")

# caches of the supervisor(s): message embeddings and session snapshots
cache_counts = collections.Counter()
for s in sup:
    for (name, labels), v in sup_d[s].items():
        lab = dict(labels)
        if name == "cache_gets_total" and lab.get("cache") == "router_embeddings":
            cache_counts["embed_" + lab.get("result", "?")] += v
        elif name == "switchboard_chat_session_loads_total":
            cache_counts["session_" + lab.get("source", "?")] += v
eh, em = cache_counts["embed_hit"], cache_counts["embed_miss"]
sh, sl = cache_counts["session_snapshot"], cache_counts["session_state-service"]
if eh + em or sh + sl:
    w(f"Caches during the measured run: message embeddings {int(eh)} hits / {int(em)} misses"
      f" ({100.0 * eh / (eh + em) if eh + em else 0:.1f} % hits); turns started from the replica's own session snapshot"
      f" {int(sh)} / loaded from state-service {int(sl)} ({100.0 * sh / (sh + sl) if sh + sl else 0:.1f} % snapshots).")
    w("")

# per-stage timings from the supervisor(s)
rows = []
for s in sup:
    fam = families(sup_d[s])
    for (base, labels), e in sorted(fam.items()):
        if e["count"] <= 0:
            continue
        lab = dict(labels)
        interesting = (base.startswith("switchboard_") or base.startswith("gen_ai_")) and base.endswith("_seconds") \
            or base in ("http_client_requests_seconds",) \
            or (base == "http_server_requests_seconds" and lab.get("uri") == "/chat") \
            or base == "jvm_gc_pause_seconds"
        if not interesting:
            continue
        keep = {k: v for k, v in lab.items() if k not in ("outcome_class", "exception") or v not in ("None", "none")}
        for k in ("clientName",):
            keep.pop(k, None)
        scale = 1000.0 if base.endswith("_seconds") else 1.0
        mean = e["sum"] / e["count"] * scale
        p50 = quantile(e["buckets"], 0.5)
        p99 = quantile(e["buckets"], 0.99)
        rows.append((s, base, ",".join(f"{k}={v}" for k, v in sorted(keep.items())), int(e["count"]), mean,
                     None if p50 is None else p50 * scale, None if p99 is None else p99 * scale))
if rows:
    w("Per-stage timings inside the supervisor(s) during the measured run (from `/q/metrics` before/after; "
      "ms for `_seconds` metrics; p50/p99 only where the metric publishes histogram buckets):")
    w("")
    w("| replica | metric | labels | count | mean | p50 | p99 |")
    w("|---|---|---|---:|---:|---:|---:|")
    for r in rows:
        w(f"| {r[0]} | `{r[1]}` | {r[2]} | {r[3]} | {r[4]:.2f} | {f1(r[5])} | {f1(r[6])} |")
    w("")

# peer services' server-side time
prow = []
for svc in ("state-service", "agent-registry-service", "prompt-service"):
    fam = families(service_delta(svc))
    for (base, labels), e in sorted(fam.items()):
        lab = dict(labels)
        if base == "http_server_requests_seconds" and e["count"] > 0 and not lab.get("uri", "").startswith("/q/"):
            prow.append((svc, lab.get("method", ""), lab.get("uri", ""), lab.get("status", ""), int(e["count"]),
                         e["sum"] / e["count"] * 1000.0))
if prow:
    w("Server-side time of the peer services' endpoints (HTTP server metrics):")
    w("")
    w("| service | endpoint | status | count | per turn | mean ms |")
    w("|---|---|---|---:|---:|---:|")
    for r in prow:
        w(f"| {r[0]} | {r[1]} {r[2]} | {r[3]} | {r[4]} | {r[4] / turn_den:.2f} | {r[5]:.2f} |")
    w("")

# CPU and RSS
if cpu_by:
    w(f"CPU used between the snapshots ({window_s:.1f} s: the measured run plus draining its last turns; machine "
      f"busy {f1(busy_pct)} % of {a.nproc} CPUs), and memory (RSS sampled every second):")
    w("")
    w("| process | CPU s | % of one CPU | CPU ms per turn | RSS max / end (MiB) |")
    w("|---|---:|---:|---:|---:|")
    order = [k for k in ("fake-model", "agent-registry-service", "state-service", "prompt-service") if k in cpu_by]
    order += sorted(k for k in cpu_by if k.startswith("supervisor"))
    order += [k for k in cpu_by if k not in order]
    for k in order:
        r = rss.get(k)
        rtxt = f"{max(r) / 1024:.0f} / {r[-1] / 1024:.0f}" if r else ""
        w(f"| {k} | {cpu_by[k]:.1f} | {100 * cpu_by[k] / window_s:.0f} | {1000 * cpu_by[k] / turn_den:.2f} | {rtxt} |")
    total_cpu = sum(cpu_by.values())
    w(f"| **all of the above** | {total_cpu:.1f} | {100 * total_cpu / window_s:.0f} | **{1000 * total_cpu / turn_den:.2f}** | |")
    w("")
    if total_cpu > 0:
        w(f"At {1000 * total_cpu / turn_den:.1f} CPU-ms per turn for the whole suite (load generator and fake model included), "
          f"{a.nproc} CPUs can serve at most ≈ {a.nproc * turn_den / total_cpu:.0f} turns/s however many clients or "
          f"replicas, before any waiting.")
        w("")

    # per-thread CPU of the supervisors
    for s in sup:
        tb, ta = threads(s, "before"), threads(s, "after")
        dump = read(f"thread-dump-{s}.txt") or ""
        java_tids = {str(int(x, 0)) for x in re.findall(r"nid=(0x[0-9a-fA-F]+|\d+)", dump)}
        groups = collections.defaultdict(float)
        for tid, (comm, v) in ta.items():
            g = thread_group(comm)
            if java_tids and tid not in java_tids and not g.startswith(("GC", "JIT")):
                g = "native threads that are not Java threads (ONNX runtime pool)"
            groups[g] += (v - tb.get(tid, (comm, 0))[1]) / tck
        total = sum(groups.values())
        if total > 0:
            w(f"{s}: CPU by thread group — " + "; ".join(
                f"{g} {100 * v / total:.0f} % ({1000 * v / turn_den:.2f} ms/turn)"
                for g, v in sorted(groups.items(), key=lambda kv: -kv[1]) if v / total >= 0.01))
            w("")

# JFR hot spots
MARKERS = [
    ("routing: embedding (SemanticRouter.embedMessage / ONNX)", r"SemanticRouter\.embedMessage|ai\.onnxruntime|OnnxBertBiEncoder|HuggingFaceTokenizer|BertTokenizer|djl"),
    ("routing: softmax head / similarity", r"RouterIndex\.|SoftmaxHead\."),
    ("LLM client (langchain4j / OpenAI)", r"dev\.langchain4j\.model\.openai|io\.quarkiverse\.langchain4j\.openai"),
    ("JSON (Jackson)", r"com\.fasterxml\.jackson"),
    ("logging", r"org\.jboss\.logmanager|org\.jboss\.logging"),
    ("metrics (Micrometer)", r"io\.micrometer"),
    ("REST client (peer calls)", r"org\.jboss\.resteasy\.reactive\.client"),
    ("Redis client", r"io\.vertx\.redis|io\.quarkus\.redis"),
    ("PostgreSQL client", r"io\.vertx\.pgclient|io\.vertx\.sqlclient"),
    ("fault tolerance", r"io\.smallrye\.faulttolerance"),
    ("prompt rendering", r"PromptTemplate|PromptService\.render|PromptCache"),
]


def jfr_summary(name, path):
    try:
        raw = subprocess.run([a.jfr_tool, "print", "--json", "--stack-depth", "64", "--events",
                              "jdk.ExecutionSample,jdk.NativeMethodSample", path],
                             capture_output=True, text=True, timeout=600).stdout
        events = json.loads(raw)["recording"]["events"]
    except Exception as e:  # noqa: BLE001 — report what failed, keep the rest of the report
        return [f"{name}: JFR summary failed: {e}"]
    n = 0
    self_top = collections.Counter()
    marker_hits = collections.Counter()
    app_frames = collections.Counter()
    onnx_native = 0
    for ev in events:
        frames = (ev.get("values", {}).get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        sigs = []
        for fr in frames:
            m = fr.get("method") or {}
            t = re.sub(r"\$\$Lambda[/.]0x[0-9a-fA-F]+", "$$Lambda", (m.get("type") or {}).get("name", "?"))
            sigs.append(f"{t.replace('/', '.')}.{m.get('name', '?')}")
        joined = "\n".join(sigs)
        if ev.get("type") == "jdk.NativeMethodSample":
            # threads in native code: mostly idle I/O polls; count only ONNX inference (real CPU work)
            if re.search(r"ai\.onnxruntime", joined):
                onnx_native += 1
            continue
        n += 1
        self_top[sigs[0]] += 1
        for label, pat in MARKERS:
            if re.search(pat, joined):
                marker_hits[label] += 1
        for sgn in sigs:
            if sgn.startswith("dev.switchboard."):
                app_frames[sgn] += 1
                break
    if not n:
        return [f"{name}: no samples"]
    out = [f"**{name}** — {n} Java execution samples (10 ms period)"
           + (f"; plus {onnx_native} native-method samples (20 ms period) of Java threads inside ONNX inference "
              f"(the embedding model's native code, invisible to the Java samples)" if onnx_native else "") + ":", ""]
    out.append("| share of samples (inclusive) | subsystem |")
    out.append("|---:|---|")
    for label, c in marker_hits.most_common():
        out.append(f"| {100 * c / n:.1f} % | {label} |")
    out.append("")
    out.append("Top methods by own samples: " + "; ".join(
        f"`{k}` {100 * v / n:.1f} %" for k, v in self_top.most_common(12)))
    out.append("")
    if app_frames:
        out.append("Nearest Switchboard frame: " + "; ".join(
            f"`{k.replace('dev.switchboard.', '')}` {100 * v / n:.1f} %" for k, v in app_frames.most_common(8)))
        out.append("")
    return out


jfrs = sorted(glob.glob(os.path.join(D, "*.jfr")))
if jfrs and a.jfr_tool:
    w("JFR profile of the measured run (`settings=profile`: `jdk.ExecutionSample` of threads running Java code, "
      "stacks up to 64 frames; a sample counts for every subsystem found in its stack):")
    w("")
    for path in jfrs:
        o.extend(jfr_summary(os.path.basename(path)[:-4], path))

print("\n".join(o))
