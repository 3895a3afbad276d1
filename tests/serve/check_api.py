#!/usr/bin/python3
"""`subsidy serve`'s API against the CLI: for every example profile the /v1/eval body is byte for
byte `eval --format json` (and html, English, --advice), /v1/batch's lines are `batch`'s records,
documents, schemas, questionnaires, rules and explanations are the CLI's; every error status with
its JSON error body; the OpenAPI file is well formed, served as shipped, names every route, and the
responses validate against its schemas; one access-log line per request; SIGTERM drains a request
in flight and exits 0. Loopback only, bounded in time.

Usage: check_api.py SUBSIDY_BINARY SOURCE_DIR
"""
import http.client
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from server import Server  # noqa: E402

BIN, ROOT = os.path.abspath(sys.argv[1]), pathlib.Path(sys.argv[2]).resolve()
ENV = dict(os.environ, SUBSIDY_NOW="2026-01-15")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def cli(*args, stdin=None):
    r = subprocess.run([BIN, *args], input=stdin, capture_output=True, env=ENV, timeout=60)
    return r.returncode, r.stdout, r.stderr


JSON = {"Content-Type": "application/json"}


def check_eval(s):
    examples = sorted(p for p in (ROOT / "examples").glob("*.json"))
    check(len(examples) >= 10, "examples found")
    variants = [("", []), ("?lang=en", ["--lang", "en"]), ("?format=html", ["--format", "html"]),
                ("?advice=1", ["--advice"]), ("?format=html&lang=en&all=1",
                                                ["--format", "html", "--lang", "en", "--all"])]
    for path in examples:
        body = path.read_bytes()
        for query, flags in variants:
            if "--format" not in flags:
                flags = flags + ["--format", "json"]
            code, out, _ = cli("eval", str(path), *flags)
            status, headers, got = s.request("POST", "/v1/eval" + query, body, JSON)
            want_status = 200 if code == 0 else 422
            check(status == want_status, f"{path.name}{query}: status {status}")
            if code == 0:
                check(got == out, f"{path.name}{query}: body differs from eval {' '.join(flags)}")
            kind = "text/html" if "html" in query else "application/json"
            check(headers.get("content-type", "").startswith(kind), f"{path.name}{query}: type")


def check_batch(s):
    jsonl = (ROOT / "examples" / "profiles.jsonl").read_bytes()
    lines = jsonl.split(b"\n")
    # bad lines, a blank one, CRLF, a BOM mid-file and a last line without its end
    mixed = b"\n".join([lines[0], b"{bad", b"", b'{"id": "x"}\r', lines[1],
                        b"\xef\xbb\xbf" + lines[2], b'{"id": "\xff"}', lines[3].rstrip()])
    for name, data in (("profiles.jsonl", jsonl), ("mixed", mixed)):
        code, out, _ = cli("batch", "-", "-o", "-", "--quiet", stdin=data)
        want = out.replace(b"<stdin>", b"<body>")
        status, headers, got = s.request("POST", "/v1/batch", data,
                                         {"Content-Type": "application/x-ndjson"})
        check(status == 200, f"batch {name}: status {status}")
        check(got == want, f"batch {name}: records differ from batch's\n{got[:300]}\n{want[:300]}")
        check(headers.get("transfer-encoding") == "chunked", f"batch {name}: streamed")
        # the same sent in small chunks (chunked transfer encoding)
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        pieces = (data[i:i + 97] for i in range(0, len(data), 97))
        conn.request("POST", "/v1/batch?lang=zh", body=pieces,
                     headers={"Content-Type": "application/x-ndjson"}, encode_chunked=True)
        res = conn.getresponse()
        check(res.status == 200 and res.read() == want, f"batch {name}: chunked upload")
        conn.close()
    status, _, body = s.request("POST", "/v1/batch", jsonl, JSON)
    check(status == 415, f"batch with application/json: {status}")


def check_reference(s):
    pairs = [("/v1/documents", ["documents", "--format", "json"]),
             ("/v1/documents?lang=en", ["documents", "--format", "json", "--lang", "en"]),
             ("/v1/schema/rules", ["schema", "rules"]), ("/v1/schema/facts", ["schema", "facts"]),
             ("/v1/schema/profile", ["schema", "profile"]),
             ("/v1/questionnaire?region=%E6%9F%AF%E5%9F%8E%E5%8C%BA&form=enterprise&year=2023",
              ["questionnaire", "--region", "柯城区", "--form", "enterprise", "--year", "2023"]),
             ("/v1/questionnaire?region=330803&kind=farmer_cooperative&role=grain_grower&lang=en",
              ["questionnaire", "--region", "330803", "--form", "farmer_cooperative",
               "--role", "grain_grower", "--lang", "en"])]
    for path, args in pairs:
        code, out, _ = cli(*args)
        status, _, got = s.request("GET", path)
        check(status == 200 and code == 0 and got == out, f"{path}: differs from {args}")
    status, _, got = s.request("GET", "/v1/rules?region=Kecheng&category=technical_upgrade")
    rules = json.loads(got)
    check(status == 200 and rules["count"] == len(rules["rules"]) > 0, "rules filtered")
    for r in rules["rules"][:3]:
        for lang in ("zh", "en"):
            code, out, _ = cli("rules", "show", r["id"], "--lang", lang)
            status, _, got = s.request("GET", f"/v1/rules/{r['id']}?lang={lang}")
            check(status == 200 and json.loads(got)["text"] == out.decode(), f"rule {r['id']}")
    example = ROOT / "examples" / "kecheng-manufacturer.json"
    for rule in ("kc-06-tech-upgrade", "kc-12-rd", "qz-08-tech-upgrade", "wc-01-no-such"):
        code, out, err = cli("explain", str(example), rule, "--lang", "en")
        status, _, got = s.request("POST", f"/v1/explain/{rule}?lang=en",
                                   example.read_bytes(), JSON)
        if code == 0:
            check(status == 200 and json.loads(got)["text"] == out.decode(), f"explain {rule}")
        else:
            check(status == 404, f"explain unknown rule {rule}: {status}")


def error_of(body):
    e = json.loads(body)["error"]
    assert set(e) == {"code", "message", "diagnostics"}, e
    return e


def check_errors(s):
    bad = b'{"id": "x", "form": "enterprise", "region": "330802", "policy_year": "2023",\n "facts": {"nope": 1}}'
    code, _, err = cli("eval", "-", "--format", "json", stdin=bad)
    status, _, body = s.request("POST", "/v1/eval", bad, JSON)
    e = error_of(body)
    check(status == 400 and code == 3, f"bad profile: {status}, CLI {code}")
    cli_lines = [l for l in err.decode().replace("<stdin>", "<body>").splitlines()
                 if l.startswith("<body>:")]
    check([d["text"] for d in e["diagnostics"]] == cli_lines,
          f"diagnostics differ from the CLI's: {e['diagnostics']} vs {cli_lines}")
    check(e["code"] == e["diagnostics"][0]["code"], "error code is the first diagnostic's")
    cases = [("GET", "/v1/nothing", None, {}, 404, "not-found"),
             ("GET", "/v1/eval", None, {}, 405, "method-not-allowed"),
             ("PUT", "/v1/rules", b"x", JSON, 405, "method-not-allowed"),
             ("DELETE", "/healthz", None, {}, 405, "method-not-allowed"),
             ("POST", "/v1/eval", b"{}", {"Content-Type": "text/plain"}, 415,
              "unsupported-media-type"),
             ("POST", "/v1/eval", b"{}", {}, 415, "unsupported-media-type"),
             ("POST", "/v1/eval", b"{", JSON, 400, "json-truncated"),
             ("GET", "/v1/rules?lang=fr", None, {}, 400, "bad-request"),
             ("GET", "/v1/questionnaire?region=330802", None, {}, 400, "bad-request"),
             ("GET", "/v1/rules/nope", None, {}, 404, "not-found"),
             ("POST", "/v1/explain/nope", (ROOT / "examples/kecheng-manufacturer.json").read_bytes(),
              JSON, 404, "not-found")]
    for method, path, body, headers, want, code in cases:
        status, h, got = s.request(method, path, body, headers)
        check(status == want and error_of(got)["code"] == code,
              f"{method} {path}: {status} {got[:200]}")
        if want == 405:
            check("allow" in h, f"{method} {path}: Allow header")
    status, _, got = s.request("GET", "/v1/nothing?lang=en")
    check("no such resource" in error_of(got)["message"], "English error message")
    status, _, got = s.request("GET", "/v1/nothing")
    check("没有这个资源" in error_of(got)["message"], "Chinese error message by default")


def check_openapi(s):
    shipped = (ROOT / "docs" / "openapi.json").read_bytes()
    status, _, got = s.request("GET", "/v1/openapi.json")
    check(status == 200 and got == shipped, "openapi.json served as shipped")
    spec = json.loads(shipped)
    check(spec.get("openapi", "").startswith("3."), "OpenAPI 3")
    check({"title", "version"} <= set(spec.get("info", {})), "info")
    methods = {"get", "post", "put", "delete", "patch", "options", "head"}
    refs = []

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.append(node["$ref"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(spec)
    for ref in refs:
        target = spec
        for part in ref.lstrip("#/").split("/"):
            target = target.get(part) if isinstance(target, dict) else None
        check(ref.startswith("#/") and target is not None, f"openapi $ref resolves: {ref}")
    ids = set()
    for path, item in spec["paths"].items():
        check(path.startswith("/"), f"path {path}")
        for method, op in item.items():
            check(method in methods, f"{path}: method {method}")
            check("responses" in op and op["responses"], f"{path} {method}: responses")
            check(op.get("operationId") not in ids, f"{path} {method}: operationId unique")
            ids.add(op.get("operationId"))
            for p in op.get("parameters", []):
                if "$ref" in p:
                    continue
                check(p.get("in") in {"query", "path", "header"} and "schema" in p,
                      f"{path}: parameter {p.get('name')}")
                if p.get("in") == "path":
                    check("{" + p["name"] + "}" in path and p.get("required"), f"{path}: path param")
    # every documented route answers, and nothing undocumented under /v1 does
    for path, item in spec["paths"].items():
        concrete = re.sub(r"\{[^}]*\}", "x", path)
        for method in item:
            status, _, _ = s.request(method.upper(), concrete, b"{}" if method == "post" else None,
                                     JSON if method == "post" else {})
            check(status not in (404, 405) or "{" in path, f"{method} {path}: {status}")
    # responses validate against the schemas (python3-jsonschema, refs into the document)
    import jsonschema
    def validate(body, name):
        schema = dict(spec["components"]["schemas"][name])
        schema["components"] = spec["components"]
        try:
            jsonschema.validate(json.loads(body), schema)
        except jsonschema.ValidationError as e:
            check(False, f"response does not match {name}: {e.message}")
    validate(s.request("GET", "/v1/version")[2], "Version")
    validate(s.request("GET", "/v1/choices")[2], "Choices")
    validate(s.request("GET", "/v1/rules")[2], "RuleList")
    validate(s.request("GET", "/v1/rules/kc-06-tech-upgrade")[2], "Rule")
    validate(s.request("GET", "/v1/nothing")[2], "Error")
    validate(s.request("POST", "/v1/eval", b"[", JSON)[2], "Error")


def check_log(log_path, requests):
    lines = pathlib.Path(log_path).read_text().splitlines()
    entries = [l for l in lines if re.match(r"^127\.0\.0\.1 [A-Z-]+ \S+ \d{3} \d+ \d+\.\dms$", l)]
    check(len(entries) == requests, f"access log: {len(entries)} lines for {requests} requests")


def check_backlog(s):
    """The listening socket's backlog is the system's, not httplib's 5 (SYNs dropped under load)."""
    import shutil
    if not shutil.which("ss"):
        return
    out = subprocess.run(["ss", "-ltnH", f"sport = :{s.port}"], capture_output=True, text=True).stdout
    fields = out.split()
    check(len(fields) >= 3 and int(fields[2]) >= 128, f"listen backlog: {out.strip()}")


def check_drain():
    """SIGTERM while a request is half sent: it is answered in full, then the server exits 0."""
    s = Server(BIN)
    try:
        body = (ROOT / "examples" / "kecheng-manufacturer.json").read_bytes()
        sock = socket.create_connection(("127.0.0.1", s.port), timeout=20)
        head = (f"POST /v1/eval HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        sock.sendall(head + body[:40])
        time.sleep(0.3)
        s.proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        check(s.proc.poll() is None, "drain: still serving the request in flight")
        sock.sendall(body[40:])
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        sock.close()
        check(data.startswith(b"HTTP/1.1 200"), f"drain: answered {data[:40]}")
        code = s.proc.wait(15)
        check(code == 0, f"drain: exit code {code}")
        try:
            socket.create_connection(("127.0.0.1", s.port), timeout=2).close()
            check(False, "drain: port closed after exit")
        except OSError:
            pass
    finally:
        s.stop()


def closes_after(port):
    """How many requests one kept-alive connection is answered before `Connection: close`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        for n in range(1, 21):
            conn.request("GET", "/healthz")
            res = conn.getresponse()
            res.read()
            if res.getheader("Connection", "").lower() == "close":
                return n
        return None
    finally:
        conn.close()


def check_keep_alive_requests():
    """A connection is closed after --keep-alive-requests answers (5 by default), said in the last
    one's `Connection: close`, so connections waiting for a thread get their turn."""
    for args, want in (((), 5), (("--keep-alive-requests", "3"), 3),
                       (("--keep-alive-requests", "1000"), None)):
        s = Server(BIN, *args)
        try:
            got = closes_after(s.port)
            check(got == want, f"keep-alive {args}: closed after {got} requests, want {want}")
        finally:
            s.stop()
    code, _, err = cli("serve", "--keep-alive-requests", "0")
    check(code == 2 and b"keep-alive-requests" in err, f"--keep-alive-requests 0: exit {code}")


def check_saturated():
    """One worker, no queue: while an idle keep-alive connection holds it, others get 503."""
    s = Server(BIN, "--threads", "1", "--queue", "0")
    try:
        hold = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
        hold.request("GET", "/healthz")
        check(hold.getresponse().read() == b'{"status":"ok"}\n', "saturated: first answered")
        status, headers, body = s.request("GET", "/v1/version")
        check(status == 503 and error_of(body)["code"] == "saturated" and
              headers.get("retry-after") == "1", f"saturated: {status} {body[:100]}")
        status, _, _ = s.request("POST", "/v1/eval",
                                 (ROOT / "examples/kecheng-manufacturer.json").read_bytes(), JSON)
        check(status == 503, f"saturated eval: {status}")
        # a body that never comes does not hold the overflow up: 503 before the body is read
        sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        sock.sendall(b"POST /v1/eval HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000\r\n\r\n")
        start = time.monotonic()
        got = sock.recv(100)
        sock.close()
        check(got.startswith(b"HTTP/1.1 503") and time.monotonic() - start < 2,
              f"saturated, body never sent: {got[:40]!r}")
        hold.close()
        time.sleep(0.5)
        status, _, _ = s.request("GET", "/healthz")
        check(status == 200, f"after saturation: {status}")
        check(s.terminate() == 0, "saturated server exits 0")
    finally:
        s.stop()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "access.log")
        s = Server(BIN, log=log)
        try:
            count = 0
            orig = s.request

            def counted(*a, **k):
                nonlocal count
                count += 1
                return orig(*a, **k)
            s.request = counted
            check_eval(s)
            check_batch(s)
            chunked = 2  # check_batch's chunked uploads do not go through s.request
            check_reference(s)
            check_errors(s)
            check_openapi(s)
            check_backlog(s)
            check(s.terminate() == 0, "SIGTERM: exit 0")
            check_log(log, count + chunked)
        finally:
            s.stop()
    check_drain()
    check_keep_alive_requests()
    check_saturated()
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("serve API: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
