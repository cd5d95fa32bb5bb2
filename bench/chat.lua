-- wrk script for the Switchboard benchmark: every wrk thread drives exactly one connection (wrk -t N -c N),
-- i.e. one closed-loop user with its own user id and session. A user starts a new session every
-- TURNS_PER_SESSION turns (sessions have realistic lengths instead of growing for the whole run).
-- Messages are built from the templates in bench/messages.txt (the four seeded agents) with varied slot values;
-- with BENCH_UNIQUE=1 each also ends with a reference no other message has (as the peer benchmark's load.mjs does
-- with LOAD_UNIQUE=1), so every text is distinct and no cache keyed by text can answer it. No explicit "agent": the
-- router runs.
--
-- Environment: BENCH_PORTS (comma-separated supervisor ports; threads are spread round-robin over them),
-- BENCH_RUN (prefix of ids), TURNS_PER_SESSION (default 20), BENCH_SUMMARY (file the summary is written to),
-- BENCH_MESSAGES (the templates file, bench/messages.txt), BENCH_UNIQUE (1: every text unique).

local ports = {}
for p in string.gmatch(os.getenv("BENCH_PORTS") or "8000", "[^,]+") do table.insert(ports, p) end
local run_id = os.getenv("BENCH_RUN") or tostring(os.time())
local turns_per_session = tonumber(os.getenv("TURNS_PER_SESSION") or "20")
local summary_file = os.getenv("BENCH_SUMMARY")
local unique = os.getenv("BENCH_UNIQUE") == "1"

local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  local port = ports[((next_id - 1) % #ports) + 1]
  thread.addr = wrk.lookup("127.0.0.1", port)[1]
  thread:set("client_id", next_id)
  thread:set("run_id", run_id)
  thread:set("turns_per_session", turns_per_session)
  thread:set("unique", unique)
  table.insert(threads, thread)
end

-- templates and slot values from bench/messages.txt (BENCH_MESSAGES)
local templates, slots = {}, {}
for line in io.lines(os.getenv("BENCH_MESSAGES") or "messages.txt") do
  local slot, values = string.match(line, "^(%%%a+)=(.*)$")
  if slot then
    local list = {}
    for v in string.gmatch(values, "[^|]+") do table.insert(list, v) end
    slots[string.sub(slot, 2)] = list
  elseif not string.match(line, "^#") and string.match(line, "\t") then
    table.insert(templates, string.match(line, "\t(.*)$"))
  end
end

local function pick(list) return list[math.random(#list)] end

local function message()
  local t = pick(templates)
  t = string.gsub(t, "%%(%a+)", function(slot)
    local list = slots[slot]
    return list and pick(list) or ("%" .. slot)
  end)
  return t
end

-- per-thread state (each thread has its own Lua state)
local session_no = 0
local sent = 0
local turns = 0
local session_id = nil
local user_id = nil
statuses = {}
methods = {}

-- bench/run.sh exports the run's admin key (every chat needs credentials)
auth = "Bearer " .. (os.getenv("BENCH_API_KEY") or "")

function init(args)
  math.randomseed(client_id * 7919 + os.time())
  user_id = "bench-" .. run_id .. "-u" .. client_id
end

function request()
  if session_id == nil or turns >= turns_per_session then
    session_no = session_no + 1
    session_id = "bench-" .. run_id .. "-c" .. client_id .. "-s" .. session_no
    turns = 0
  end
  turns = turns + 1
  sent = sent + 1
  local text = message()
  if unique then
    text = text .. " (ref " .. client_id .. "-" .. sent .. "-" .. run_id .. ")"
  end
  local body = '{"message":"' .. text .. '","user_id":"' .. user_id .. '","session_id":"' .. session_id .. '"}'
  return wrk.format("POST", "/chat", {["Content-Type"] = "application/json", ["Authorization"] = auth}, body)
end

function response(status, headers, body)
  local s = tostring(status)
  statuses[s] = (statuses[s] or 0) + 1
  if status == 200 then
    local m = string.match(body, '"method":"([%a_]+)"')
    if m then methods[m] = (methods[m] or 0) + 1 end
  end
end

local function merge(into, from)
  for k, v in pairs(from) do into[k] = (into[k] or 0) + v end
end

local function fmt(map)
  local parts = {}
  for k, v in pairs(map) do table.insert(parts, '"' .. k .. '":' .. v) end
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local all_statuses, all_methods = {}, {}
  for _, t in ipairs(threads) do
    merge(all_statuses, t:get("statuses"))
    merge(all_methods, t:get("methods"))
  end
  local e = summary.errors
  local out = string.format(
    '{"duration_us":%d,"requests":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"mean":%.1f,"max":%d,"stdev":%.1f,"p50":%d,"p75":%d,"p90":%d,"p99":%d,"p999":%d},' ..
    '"statuses":%s,"methods":%s}',
    summary.duration, summary.requests, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.max, latency.stdev,
    latency:percentile(50), latency:percentile(75), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), fmt(all_statuses), fmt(all_methods))
  if summary_file then
    local f = io.open(summary_file, "w"); f:write(out, "\n"); f:close()
  end
  io.write(out, "\n")
end
