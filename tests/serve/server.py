"""Starts `subsidy serve` on an ephemeral loopback port for a test and always stops it.

The server is started with --port 0 and prints the port it bound; it dies with the test (Linux
PR_SET_PDEATHSIG), and stop() (also run at exit and on SIGTERM/SIGINT of the test) kills it if a
graceful stop does not end it in time.
"""
import atexit
import ctypes
import http.client
import os
import re
import select
import signal
import subprocess
import sys
import time

_servers = []


def _die_with_parent():
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class Server:
    def __init__(self, binary, *args, env=None, log=None, start_timeout=30):
        full_env = dict(os.environ)
        full_env.setdefault("SUBSIDY_NOW", "2026-01-15")
        full_env.update(env or {})
        self.log_path = log
        self.log = open(log, "wb") if log else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [binary, "serve", "--host", "127.0.0.1", "--port", "0", "--lang", "en", *args],
            stdout=subprocess.PIPE, stderr=self.log, env=full_env, preexec_fn=_die_with_parent)
        _servers.append(self)
        deadline = time.monotonic() + start_timeout
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError("server did not start: %r" % line)
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 1)
                if not chunk:
                    continue
                line += chunk
        m = re.search(rb"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            self.stop()
            raise RuntimeError("no port in %r" % line)
        self.port = int(m.group(1))

    def request(self, method, path, body=None, headers=None, timeout=30):
        """(status, headers dict with lower-case names, body bytes)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            if isinstance(body, str):
                body = body.encode()
            conn.request(method, path, body=body, headers=headers or {})
            res = conn.getresponse()
            data = res.read()
            return res.status, {k.lower(): v for k, v in res.getheaders()}, data
        finally:
            conn.close()

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def terminate(self, timeout=15):
        """SIGTERM, then the exit code (None if it had to be killed)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        if self.log not in (None, subprocess.DEVNULL) and not self.log.closed:
            self.log.close()
        if self in _servers:
            _servers.remove(self)


def _stop_all(*_):
    for s in list(_servers):
        s.stop()


atexit.register(_stop_all)


def _on_signal(signum, _frame):
    _stop_all()
    sys.exit(128 + signum)


signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGINT, _on_signal)
