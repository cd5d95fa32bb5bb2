#!/usr/bin/env python3
"""Sends every template of bench/messages.txt (each with SAMPLES random slot fillings) to the supervisor's
POST /route dry run and prints one line per template: expected agent, hits, methods, template.
Usage: route_check.py messages.txt http://127.0.0.1:19000 [samples]. Standard library only."""
import collections
import json
import os
import random
import re
import sys
import urllib.request

path, base = sys.argv[1], sys.argv[2]
samples = int(sys.argv[3]) if len(sys.argv) > 3 else 5
slots, templates = {}, []
for line in open(path, encoding="utf-8"):
    line = line.rstrip("\n")
    m = re.match(r"^%(\w+)=(.*)$", line)
    if m:
        slots[m.group(1)] = m.group(2).split("|")
    elif line and not line.startswith("#") and "\t" in line:
        templates.append(tuple(line.split("\t", 1)))
rnd = random.Random(42)
total, semantic, right = 0, 0, 0
misses = []
for agent, template in templates:
    methods, hits = collections.Counter(), 0
    for _ in range(samples):
        text = re.sub(r"%(\w+)", lambda m: rnd.choice(slots.get(m.group(1), [m.group(0)])), template)
        req = urllib.request.Request(base + "/route", data=json.dumps({"message": text}).encode(),
                                     headers={"Content-Type": "application/json",
                                              "Authorization": "Bearer " + os.environ.get("BENCH_API_KEY", "")})
        with urllib.request.urlopen(req, timeout=30) as r:
            body = json.load(r)
        methods[body.get("method")] += 1
        hits += body.get("agent") == agent
        if body.get("method") != "semantic" or body.get("agent") != agent:
            misses.append(f"  miss: {text!r} -> {body.get('agent')} ({body.get('method')}, {body.get('score')})")
    total += samples
    semantic += methods["semantic"]
    right += hits
    print(f"{agent}\t{hits}/{samples}\t{dict(methods)}\t{template}")
print("\n".join(misses))
print(f"TOTAL\t{right}/{total} routed to the expected agent, {semantic}/{total} semantic")
