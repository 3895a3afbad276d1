#!/usr/bin/python3
"""Hostile requests to `subsidy serve`: oversized bodies (declared, chunked, streamed), stalled and
slowly dripped headers (slowloris), endless headers, invalid UTF-8, deep nesting, wrong and unknown methods, path
traversal. Each gets the right status and a JSON error body, the server never crashes, keeps
answering others, and (traced with strace while the requests run) opens no file at all.
Loopback only, bounded in time.

Usage: check_hostile.py SUBSIDY_BINARY SOURCE_DIR
"""
import http.client
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from server import Server  # noqa: E402

BIN, ROOT = os.path.abspath(sys.argv[1]), pathlib.Path(sys.argv[2]).resolve()
JSON = {"Content-Type": "application/json"}
failures = []
SECRET = "TOPSECRET-3f9c"


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def raw(port, data, timeout=10, pause=None):
    """Sends raw bytes, returns everything the server sends until it closes (or the timeout)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        if pause is None:
            sock.sendall(data)
        else:
            for i in range(0, len(data), pause[0]):
                sock.sendall(data[i:i + pause[0]])
                time.sleep(pause[1])
        out = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        sock.close()


def status_of(response):
    try:
        return int(response.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def alive(s):
    status, _, body = s.request("GET", "/healthz", timeout=10)
    return status == 200


def oversized(s):
    big = b"[" + b"0," * (600 * 1024) + b"0]"  # 1.2 MB over a 1 MiB limit
    status, _, body = s.request("POST", "/v1/eval", big, JSON)
    check(status == 413 and json.loads(body)["error"]["code"] == "too-large",
          f"oversized eval: {status} {body[:100]}")
    # a declared length far beyond the limit is refused before a byte of it is sent
    head = (b"POST /v1/eval HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 10000000000\r\n\r\n")
    for path in ("/v1/eval", "/v1/batch"):
        sock = socket.create_connection(("127.0.0.1", s.port), timeout=5)
        sock.sendall(head.replace(b"/v1/eval", path.encode()).replace(
            b"application/json", b"application/x-ndjson" if "batch" in path else b"application/json"))
        start = time.monotonic()
        got = sock.recv(200)
        sock.close()
        check(status_of(got) == 413 and time.monotonic() - start < 2,
              f"declared 10 GB to {path}: {got[:60]}")
    # a body whose size is unknown until read is refused before it is read: chunked (outside
    # /v1/batch, which counts as it streams) gets 411, a compressed one 415 (a small gzip body
    # could unpack to gigabytes); the server answers at once, without reading what follows
    for label, headers, expected in (
            ("chunked", {"Transfer-Encoding": "chunked"}, 411),
            ("gzip", {"Content-Encoding": "gzip", "Content-Length": "1000000"}, 415)):
        sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        sock.sendall(("POST /v1/eval HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + head + "\r\n").encode())
        start = time.monotonic()
        got = sock.recv(300)
        sock.close()
        check(status_of(got) == expected and time.monotonic() - start < 2,
              f"{label} body to /v1/eval refused before reading: {got[:60]}")
    # a batch body that breaks off (here a malformed chunk) is not answered as if complete: the
    # record of the line read, then an error line, and the chunked response left unterminated
    line1 = (ROOT / "examples" / "profiles.jsonl").read_bytes().split(b"\n")[0] + b"\n"
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    sock.sendall(b"POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n" + f"{len(line1):x}\r\n".encode() + line1 +
                 b"\r\nzz\r\n")
    got = b""
    try:
        while True:
            piece = sock.recv(65536)
            if not piece:
                break
            got += piece
    except socket.timeout:
        pass
    sock.close()
    check(status_of(got) == 200 and b'"row":1' in got.replace(b" ", b"") and
          b"bad-request" in got and not got.endswith(b"0\r\n\r\n"),
          f"batch body broken off: {got[-200:]!r}")
    # batch streams its records: an oversized body ends with an error line after the records
    line = (ROOT / "examples" / "profiles.jsonl").read_bytes().split(b"\n")[0] + b"\n"
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=20)
    conn.request("POST", "/v1/batch", body=(line for _ in range(2000)),
                 headers={"Content-Type": "application/x-ndjson"}, encode_chunked=True)
    try:
        res = conn.getresponse()
        data = res.read()
        lines = data.splitlines()
        ok = (res.status == 413) or (
            res.status == 200 and lines and b'"too-large"' in lines[-1] and
            all(b'"status":"ok"' in l for l in lines[:-1]))
        check(ok, f"batch oversized: {res.status} {data[-200:]}")
    except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected,
            http.client.IncompleteRead):
        pass  # the server may close the connection once the limit is passed: it is refused
    conn.close()
    check(alive(s), "alive after oversized bodies")


def slow(s):
    # stalled: half a request line, then nothing: closed after --timeout (2 s)
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=15)
    sock.sendall(b"GET /healthz HT")
    start = time.monotonic()
    try:
        closed = sock.recv(100) is not None
    except (socket.timeout, ConnectionResetError):
        closed = False
    waited = time.monotonic() - start
    sock.close()
    check(closed and waited < 8, f"stalled headers closed after {waited:.1f}s")
    # dripping: ten connections sending their headers a byte every 0.2 s; the headers must all
    # arrive within --timeout (2 s): each is cut (400, or closed) after about 2 s, never held,
    # and others are served meanwhile
    results = []

    def drip():
        head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40 + b"\r\n\r\n"
        start = time.monotonic()
        try:
            got = raw(s.port, head, timeout=30, pause=(1, 0.2))
        except (BrokenPipeError, ConnectionResetError):
            got = b""
        results.append((got, time.monotonic() - start))
    threads = [threading.Thread(target=drip) for _ in range(10)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    for _ in range(5):
        check(alive(s), "served while slow clients drip their headers")
    for t in threads:
        t.join(40)
    check(len(results) == 10 and all(status_of(r) in (400, 0) and t < 6 for r, t in results),
          f"dripping clients cut: {[(r[:12], round(t, 1)) for r, t in results]}")
    # a dripped body: the headers at once, then a byte every 0.5 s; each read comes within
    # --timeout, but the body must keep 16 KiB/s after its first 2 s: cut after about 2 s (it
    # held the thread for the whole body, 500 s here, before)
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=30)
    sock.sendall(b"POST /v1/eval HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 1000\r\n\r\n")
    start = time.monotonic()
    try:
        for _ in range(30):
            sock.sendall(b" ")
            time.sleep(0.5)
    except (BrokenPipeError, ConnectionResetError):
        pass
    waited = time.monotonic() - start
    sock.close()
    check(waited < 6, f"dripped body cut after {waited:.1f}s")
    # endless headers: cut at 64 KiB, memory unchanged
    before = s.rss_kib()
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=15)
    sent = 0
    try:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        for i in range(100000):
            sock.sendall(b"X-H%d: %s\r\n" % (i, b"a" * 100))
            sent += 1
    except (BrokenPipeError, ConnectionResetError, socket.timeout):
        pass
    sock.close()
    check(sent < 100000, "endless headers: the connection is cut")
    check(s.rss_kib() < before + 8 * 1024, f"endless headers: RSS {before} → {s.rss_kib()} KiB")
    check(alive(s), "alive after endless headers")


def bad_utf8_and_nesting(s):
    cases = [(b'{"id": "\xff\xfe", "form": "enterprise", "region": "330802", "policy_year": 2023,'
              b' "facts": {}}', 400),
             (b'{"id": "a\xc0\xafb"}', 400),
             (b"\xef\xbb\xbf\xef\xbb\xbf{}", 400),
             (b"[" * 200000 + b"]" * 200000, 400),
             (b'{"a":' * 100000 + b"1" + b"}" * 100000, 400),
             (b"\x00\x01\x02", 400)]
    for body, want in cases:
        status, _, got = s.request("POST", "/v1/eval", body, JSON)
        check(status == want, f"eval {body[:20]!r}: {status}")
        try:
            json.loads(got)
        except ValueError:
            check(False, f"eval {body[:20]!r}: error body is not JSON")
    status, _, got = s.request("POST", "/v1/batch", b"[" * 200000 + b"\n\xff\n",
                               {"Content-Type": "application/x-ndjson"})
    lines = got.splitlines()
    check(status == 200 and len(lines) == 2 and all(b'"status":"error"' in l for l in lines),
          f"batch deep nesting and bad UTF-8: {status} {got[:200]}")
    for path in ("/v1/rules/%FF%FE", "/v1/rules?search=%FF", "/v1/rules?region=%C0%AF",
                 "/v1/questionnaire?region=%FF&form=enterprise"):
        status, _, got = s.request("GET", path)
        check(status in (200, 400, 404), f"{path}: {status}")
        try:
            json.loads(got)
        except ValueError:
            check(False, f"{path}: not JSON")
    check(alive(s), "alive after bad UTF-8 and deep nesting")


def methods(s):
    for method in ("PUT", "DELETE", "PATCH", "OPTIONS"):
        for path in ("/v1/eval", "/v1/rules", "/", "/v1/batch"):
            status, headers, _ = s.request(method, path, b"{}", JSON)
            check(status == 405 and "allow" in headers, f"{method} {path}: {status}")
    for method in (b"BREW", b"TRACE", b"CONNECT", b"GET\x00", b"G\xffT"):
        got = raw(s.port, method + b" / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        check(status_of(got) in (400, 405, 0) and status_of(got) < 500 or not got,
              f"method {method!r}: {got[:40]}")
    # ranges are refused (400, closed), not cut into thousands of copies of a response (2,000
    # ranges of /v1/documents were half a megabyte before); a header merely ending in "range" is
    # not one
    ranges = ",".join(["0-"] * 2000)
    got = raw(s.port, f"GET /v1/documents HTTP/1.1\r\nHost: x\r\nRange: bytes={ranges}\r\n"
                      "Connection: close\r\n\r\n".encode())
    check(status_of(got) == 400 and len(got) < 4096, f"many ranges: {got[:60]} ({len(got)} bytes)")
    got = raw(s.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Range: 1\r\nConnection: close\r\n\r\n")
    check(status_of(got) == 200, f"X-Range is no Range: {got[:40]}")
    # a method httplib parses but no route serves is the API's 405 with Allow, as for PUT
    for method in (b"TRACE", b"CONNECT"):
        got = raw(s.port, method + b" /v1/eval HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        check(status_of(got) == 405 and b"Allow: POST" in got, f"{method!r} /v1/eval: {got[:80]}")
    got = raw(s.port, b"garbage\r\n\r\n")
    check(status_of(got) == 400 or not got, f"garbage request line: {got[:40]}")
    got = raw(s.port, b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    check(status_of(got) in (400, 414) or not got, f"long URI: {got[:40]}")
    got = raw(s.port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
    check(status_of(got) in (400, 431) or not got, f"long header: {got[:40]}")
    check(alive(s), "alive after wrong methods")


def traversal(s, workdir):
    paths = ["/v1/rules/../../etc/passwd", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
             "/v1/schema/..%2f..%2fsecret.txt", "//etc/passwd", "/secret.txt",
             "/index.html/../secret.txt", "/v1/rules/..%2F..%2Fsecret.txt",
             "/v1/schema/%2e%2e%2fsecret", f"/v1/rules/{workdir}/secret.txt",
             "/v1/rules/%2Fetc%2Fpasswd", "/v1/explain/..%2f..%2fsecret.txt"]
    for path in paths:
        for method in ("GET", "POST"):
            status, _, body = s.request(method, path, b"{}" if method == "POST" else None, JSON)
            check(status in (400, 404, 405), f"{method} {path}: {status}")
            check(SECRET.encode() not in body and b"root:" not in body,
                  f"{method} {path}: file content in the answer")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        pathlib.Path(tmp, "secret.txt").write_text(SECRET)
        pathlib.Path(tmp, "index.html").write_text(SECRET)
        os.chdir(tmp)  # the server's working directory holds the files a traversal would want
        s = Server(BIN, "--max-body", str(1 << 20), "--timeout", "2", "--threads", "16",
                   "--queue", "8", log=os.path.join(tmp, "log"))
        tracer = None
        trace = os.path.join(tmp, "trace")
        if shutil.which("strace"):
            tracer = subprocess.Popen(
                ["strace", "-f", "-qq", "-o", trace, "-e",
                 "trace=open,openat,openat2,stat,lstat,newfstatat,statx,access,faccessat,"
                 "readlink,readlinkat,execve", "-p", str(s.proc.pid)],
                stderr=subprocess.DEVNULL)
            time.sleep(1.0)  # attached to every thread before the first request
        try:
            oversized(s)
            slow(s)
            bad_utf8_and_nesting(s)
            methods(s)
            traversal(s, tmp)
            for path in ("/v1/%0A127.0.0.1%20GET%20/forged%20200%201%201.0ms", "/a%20b%09c%0Dd"):
                s.request("GET", path)
            check(s.proc.poll() is None, "the server is still running")
        finally:
            if tracer:
                tracer.terminate()
                tracer.wait(10)
            code = s.terminate()
            check(code == 0, f"exit code after SIGTERM: {code}")
            s.stop()
        # a path with a line end or spaces cannot forge or split an access-log line
        log_lines = pathlib.Path(tmp, "log").read_text(errors="replace").splitlines()
        bad_lines = [l for l in log_lines if not re.fullmatch(
            r"\S+ \S+ \S+ \d{3} \d+ \d+\.\dms|subsidy serve: stopped", l)]
        check(not bad_lines, f"access log lines split or forged: {bad_lines[:3]}")
        if tracer:
            # glibc's malloc reads the number of processors when a thread first allocates
            # (a new arena): not a file any request names.
            calls = [l for l in pathlib.Path(trace).read_text().splitlines()
                     if "(" in l and "resumed" not in l and "+++" not in l and "---" not in l
                     and '"/sys/devices/system/cpu/online"' not in l]
            check(not calls, "file system calls while serving: " + "; ".join(calls[:5]))
        else:
            print("strace not found: the no-file-access check is skipped", file=sys.stderr)
        os.chdir("/")
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("serve hostile requests: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
