#!/usr/bin/env python3
"""Closed-loop probe of a running `anytime serve` (diagnostics, not a benchmark of record).

One keep-alive connection, one request at a time (2 ms apart), Fashion-MNIST test images as pixels.
Prints p50/p90/p99/max of the client's round trip and of the answer's queueMs, computeMs and totalMs, then
the requests whose computeMs exceeded --slow-ms with their time since the start (slow spells show as runs).

Usage: python3 bench/diagnostics/serve-probe.py [--port 18611] [--requests 3000] [--deadline-ms 1000]
Start the server first, e.g. taskset -c 0 java -jar core/target/anytime-nn.jar serve --port 18611 --workers 1
and run this pinned elsewhere: taskset -c 1 python3 bench/diagnostics/serve-probe.py
"""
import argparse, gzip, http.client, json, time

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, default=18611)
p.add_argument("--requests", type=int, default=3000)
p.add_argument("--deadline-ms", type=float, default=1000)
p.add_argument("--slow-ms", type=float, default=5)
p.add_argument("--data", default="/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")
a = p.parse_args()
with gzip.open(a.data) as f:
    data = f.read()
bodies = [json.dumps({"deadlineMs": a.deadline_ms, "pixels": list(data[16 + i * 784:16 + (i + 1) * 784])})
          for i in range(200)]
c = http.client.HTTPConnection("127.0.0.1", a.port)
rows, slow, t0 = [], [], time.perf_counter()
for i in range(a.requests):
    t = time.perf_counter()
    c.request("POST", "/v1/predict", bodies[i % 200], {"Content-Type": "application/json"})
    r = c.getresponse()
    b = r.read()
    if r.status == 200:
        j = json.loads(b)
        rows.append(((time.perf_counter() - t) * 1000, j["queueMs"], j["computeMs"], j["totalMs"]))
        if j["computeMs"] > a.slow_ms:
            slow.append((round((t - t0) * 1000), round(j["computeMs"], 1)))
    time.sleep(0.002)


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


warm = rows[100:]
for k, name in enumerate(["round trip", "queueMs", "computeMs", "totalMs"]):
    xs = [r[k] for r in warm]
    print(f"{name:10s} p50={pct(xs, .5):7.3f} p90={pct(xs, .9):7.3f} p99={pct(xs, .99):7.3f} max={max(xs):7.3f}")
print(f"{len(slow)} of {len(rows)} answers computed in more than {a.slow_ms} ms (ms since start, computeMs):")
print(slow)
