#!/usr/bin/python3
"""Load on `subsidy serve` with wrk (Debian): 2 threads × 50 connections on POST /v1/eval with the
example profiles, then the same with 10 % malformed bodies. Every response is checked by
tests/serve/load.lua: a report with 200, or for a malformed body a JSON syntax error with 400;
no socket errors, nothing else. The server's RSS after the malformed run stays within a bound of
its RSS after the clean run (memory flat). Prints requests/s and p50/p99 latency.

Usage: load.py SUBSIDY_BINARY SOURCE_DIR [SECONDS]   (the test uses 3; docs/performance.md 10)
Exit 77 (skipped) without wrk, or under the sanitizers (SUBSIDY_SANITIZED=1).
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from server import Server  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
ROOT = pathlib.Path(sys.argv[2]).resolve()
SECONDS = int(sys.argv[3]) if len(sys.argv) > 3 else 3
HERE = pathlib.Path(__file__).resolve().parent
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def wrk(port, seconds, bad):
    examples = sorted(str(p) for p in (ROOT / "examples").glob("*.json"))
    cmd = ["wrk", "-t2", "-c50", f"-d{seconds}s", "--latency", "--timeout", "10s",
           "-s", str(HERE / "load.lua"), f"http://127.0.0.1:{port}/v1/eval", "--"]
    cmd += ([f"bad={bad}"] if bad else []) + examples
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    m = re.search(r"^RESULT (.*)$", out, re.M)
    if not m:
        check(False, "wrk gave no result:\n" + out)
        return {}
    r = {k: float(v) for k, v in (kv.split("=") for kv in m.group(1).split())}
    print(f"  {'10% malformed' if bad else 'clean'}: {r['requests']:.0f} requests in {seconds} s, "
          f"{r['rps']:.0f} requests/s, p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms; "
          f"200: {r['ok']:.0f}, 400: {r['refused']:.0f}, other: {r['wrong']:.0f}, "
          f"socket errors: {r['socket_errors']:.0f}; bodies sent: {r['sent_good']:.0f} good, "
          f"{r['sent_bad']:.0f} malformed")
    return r


def main():
    if os.environ.get("SUBSIDY_SANITIZED") == "1":
        print("skipped under the sanitizers: timings mean nothing there")
        return 77
    if not shutil.which("wrk"):
        print("skipped: wrk not installed", file=sys.stderr)
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        # Connections are kept for the whole run (closing after N requests is checked in
        # check_api.py): wrk re-opens a connection the server closes without counting an error,
        # and counts the bodies it sends less exactly around it (see the bound below).
        s = Server(BIN, "--threads", "64", "--keep-alive-requests", "1000000",
                   log=os.path.join(tmp, "access.log"))
        try:
            wrk(s.port, 1, 0)  # warm-up: threads, arenas and caches reach their size
            clean = wrk(s.port, SECONDS, 0)
            rss_clean = s.rss_kib()
            bad = wrk(s.port, SECONDS, 10)
            rss_bad = s.rss_kib()
            print(f"  RSS after the clean run {rss_clean} KiB, after the malformed run {rss_bad} KiB")
            for name, r in (("clean", clean), ("malformed", bad)):
                if not r:
                    continue
                check(r["requests"] > 0, f"{name}: no requests")
                check(r["socket_errors"] == 0, f"{name}: {r['socket_errors']:.0f} socket errors")
                check(r["wrong"] == 0, f"{name}: {r['wrong']:.0f} wrong responses")
                # A request in flight when wrk stops is sent but never answered: one per
                # connection at most. wrk's count of bodies sent is not exact either: it calls
                # request() again for a request now and then (1 in about 1,500 was measured with
                # a connection re-opened after every request, and 51 unanswered of 50 connections
                # came up once without), so the bound allows 1 % more.
                slack = 50 + r["requests"] // 100
                check(0 <= r["sent_good"] - r["ok"] <= slack, f"{name}: every good body got 200")
                check(0 <= r["sent_bad"] - r["refused"] <= slack,
                      f"{name}: every malformed body 400")
            check(clean.get("refused", 1) == 0 and clean.get("non2xx", 1) == 0,
                  "clean: no error response")
            check(bad.get("refused", 0) > 0, "malformed: some were sent")
            check(rss_bad <= rss_clean + 32 * 1024 and rss_bad <= rss_clean * 1.5,
                  f"memory flat: {rss_clean} KiB → {rss_bad} KiB")
            check(s.terminate() == 0, "SIGTERM after load: exit 0")
            lines = pathlib.Path(tmp, "access.log").read_text().count("/v1/eval")
            answered = sum(r.get("ok", 0) + r.get("refused", 0) for r in (clean, bad))
            check(lines >= answered, f"access log: {lines} lines for {answered:.0f} answers")
        finally:
            s.stop()
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("serve load: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
