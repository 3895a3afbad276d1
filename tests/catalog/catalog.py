#!/usr/bin/python3
"""The bad-input catalog: hostile inputs, each with the exact message and exit code expected.
Every case must also finish within its time limit, end by exiting (not by a signal), use no more
memory than a small multiple of its input, leave its input files as they were and leave no
temporary file behind.

usage: catalog.py SUBSIDY_BINARY REPO_ROOT [NAME_SUBSTRING]

The cases live in the cases_*.py files beside this one, each a list CASES of tuples
    (name, files, args, exit code, expected text[, options])
where files maps a relative path to text or bytes (None: made by write_files or a setup), the
expected text must appear in standard output or standard error, and options (a dict, optional) is
any of:
    chinese      the case expects text in the default language (Chinese); else SUBSIDY_LANG=en
    stdin        bytes for standard input (default: /dev/null)
    stdin_open   with stdin: the pipe stays open until the process ends, so the command is still
                 reading when a signal comes (a run that is mid-way whatever the machine's speed)
    stdin_file   a path (relative to the case's folder) opened as standard input instead
    stdout       a path (relative to the case's folder, or absolute such as /dev/full) that
                 standard output is sent to instead of being captured
    stdout_mode  how that path is opened: "wb" (default) or "ab" (the shell's >>)
    env          extra environment variables
    setup        setup(tmp): makes further files before the run (not counted as inputs)
    check        check(tmp, text, code) -> "" or a problem; text is stdout + stderr
    absent       a text that must not appear in the output
    records      (path, n): the JSON Lines file at path holds exactly n records
    may_change   paths of inputs the case may change (default: none may)
    plant        (name, hard): in the child, just before it runs the tool (so at the tool's own
                 process id, whatever else the machine starts), a hard or symbolic link to
                 victim.txt named .NAME.tmp-PID, the tool's temporary-file name, as someone who
                 can write to the directory could plant it
    planted      a file linked to under temporary-file names (by plant or a setup): those links
                 are the case's own, not temporary files the tool left
    signal       (seconds, signum): sent to the process that long after it starts
    rlimits      {resource.RLIMIT_X: value}: set in the child before it runs
    closed       descriptors (0, 1, 2) closed in the child before it runs, as the shell's >&-
    max_seconds  default 30; under the sanitizers SANITIZED_SLOWDOWN times that
    max_mb       peak resident memory, default 256
    i18n         False: tests/i18n/check_translations.py does not rerun this case
"""
import glob
import hashlib
import importlib
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import profile  # noqa: E402

# AddressSanitizer and UndefinedBehaviorSanitizer run the tool several times slower, and CI runs
# that suite two tests at a time: a 1.5 s case took 12.4 s there. The time bound is a hang guard;
# the release build's run of the same cases enforces each bound as written.
SANITIZED_SLOWDOWN = 5 if os.environ.get("SUBSIDY_SANITIZED") else 1

# Every cases_*.py beside this file, in name order.
MODULES = [importlib.import_module(os.path.basename(p)[:-3])
           for p in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases_*.py")))]
CASES = [case for module in MODULES for case in module.CASES]
CHINESE = set().union(*(getattr(module, "CHINESE", set()) for module in MODULES))


def options(case):
    return case[5] if len(case) > 5 else {}


def case_env(name, opts=None):
    opts = opts or {}
    env = {k: v for k, v in os.environ.items()
           if k not in ("SUBSIDY_LANG", "SUBSIDY_NOW", "SOURCE_DATE_EPOCH")}
    env["SUBSIDY_NOW"] = "2026-01-15"  # the date reports print: fixed, whatever the day
    if name not in CHINESE and not opts.get("chinese"):
        env["SUBSIDY_LANG"] = "en"
    env.update(opts.get("env", {}))
    return env


def write_files(tmp, name, files, big_file=200 << 20, big_line=50 << 20, opts=None):
    """Writes a case's files into tmp; the two huge inputs are made here, big_file and big_line
    bytes long (another script may make them just over the 16 MiB limit instead). Runs the case's
    setup, if any."""
    for rel, content in files.items():
        path = os.path.join(tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if name == "file-200mb":
            with open(path, "wb") as f:
                f.truncate(big_file)
        elif name == "jsonl-line-50mb":
            with open(path, "w", encoding="utf-8") as f:
                f.write(profile("{}") + "\n")
                f.write('{"id": "big", "name": "' + "x" * big_line + '"}\n')
                f.write(profile("{}") + "\n")
        elif content is None:
            pass
        elif isinstance(content, bytes):
            open(path, "wb").write(content)
        else:
            open(path, "w", encoding="utf-8").write(content)
    if opts and opts.get("setup"):
        opts["setup"](tmp)


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def snapshot(tmp, files):
    out = {}
    for rel in files:
        path = os.path.join(tmp, rel)
        if os.path.isfile(path) and not os.path.islink(path):
            out[rel] = digest(path)
    return out


def leftovers(tmp, planted=None):
    victim = os.stat(os.path.join(tmp, planted)) if planted else None

    def own(path):
        try:
            st = os.stat(path)  # through a symbolic link
        except OSError:
            return False
        return victim is not None and (st.st_dev, st.st_ino) == (victim.st_dev, victim.st_ino)
    return [os.path.relpath(os.path.join(d, f), tmp) for d, _, names in os.walk(tmp) for f in names
            if (".tmp-" in f or f.endswith(".tmp")) and not own(os.path.join(d, f))]


def spawn(binary, tmp, name, args, opts):
    stdout = subprocess.PIPE
    if opts.get("stdout"):
        target = opts["stdout"]
        stdout = open(target if os.path.isabs(target) else os.path.join(tmp, target), opts.get("stdout_mode", "wb"))
    stdin = subprocess.PIPE if opts.get("stdin") is not None else subprocess.DEVNULL
    if opts.get("stdin_file"):
        stdin = open(os.path.join(tmp, opts["stdin_file"]), "rb")
    limits = opts.get("rlimits", {})
    closed = opts.get("closed", ())
    plant = opts.get("plant")

    def preexec():
        if plant:
            link = os.path.join(tmp, f".{plant[0]}.tmp-{os.getpid()}")
            (os.link if plant[1] else os.symlink)(os.path.join(tmp, "victim.txt"), link)
        for res, value in limits.items():
            resource.setrlimit(res, (value, value))
        for fd in closed:
            os.close(fd)

    proc = subprocess.Popen([binary] + args, cwd=tmp, stdout=stdout, stderr=subprocess.PIPE,
                            stdin=stdin, env=case_env(name, opts),
                            preexec_fn=preexec if limits or closed or plant else None)
    if stdout is not subprocess.PIPE:
        stdout.close()
    if opts.get("stdin_file"):
        stdin.close()
    return proc


def run_case(binary, tmp, name, files, args, code, expected, opts=None):
    opts = opts or {}
    write_files(tmp, name, files, opts=opts)
    before = snapshot(tmp, files)
    start = time.monotonic()
    proc = spawn(binary, tmp, name, args, opts)
    chunks = {"out": [], "err": []}
    readers = [threading.Thread(target=lambda s=stream, k=key: chunks[k].append(s.read()))
               for key, stream in (("out", proc.stdout), ("err", proc.stderr)) if stream]
    for t in readers:
        t.start()
    if opts.get("stdin") is not None:
        def feed():
            try:
                proc.stdin.write(opts["stdin"])
                proc.stdin.flush()
                if not opts.get("stdin_open"):
                    proc.stdin.close()
            except (BrokenPipeError, OSError):
                pass
        threading.Thread(target=feed, daemon=True).start()
    max_seconds = opts.get("max_seconds", 30) * SANITIZED_SLOWDOWN
    killer = threading.Timer(max(60, 2 * max_seconds), proc.kill)
    killer.start()
    sender = None
    if opts.get("signal"):
        delay, signum = opts["signal"]
        sender = threading.Timer(delay, lambda: proc.poll() is None and proc.send_signal(signum))
        sender.start()
    # wait4 gives this child's own peak memory.
    _, status, usage = os.wait4(proc.pid, 0)
    killer.cancel()
    if opts.get("stdin_open"):
        try:
            proc.stdin.close()
        except OSError:
            pass
    if sender:
        sender.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for t in readers:
        t.join()
    out, err = b"".join(chunks["out"]), b"".join(chunks["err"])
    seconds = time.monotonic() - start
    peak_mb = usage.ru_maxrss / 1024
    text = out.decode("utf-8", "replace") + err.decode("utf-8", "replace")
    problems = []
    if proc.returncode < 0:
        problems.append(f"killed by signal {-proc.returncode}")
    if proc.returncode != code:
        problems.append(f"exit {proc.returncode}, expected {code}")
    if expected not in text:
        problems.append(f"message {expected!r} not in output:\n{text[:1500]}")
    if opts.get("absent") and opts["absent"] in text:
        problems.append(f"{opts['absent']!r} should not be in the output")
    if seconds > max_seconds:
        problems.append(f"took {seconds:.1f} s")
    # A small multiple of the input: 200 MB and 50 MB inputs must not be read into memory whole
    # (the first is refused by its size, the second line is skipped unbuffered). Under the
    # sanitizers the peak is mostly AddressSanitizer's shadow memory and quarantine, not ours:
    # the release build's run of the same cases enforces the bounds.
    if peak_mb > opts.get("max_mb", 256) and not os.environ.get("SUBSIDY_SANITIZED"):
        problems.append(f"peak memory {peak_mb:.0f} MB")
    after = snapshot(tmp, files)
    for rel, h in before.items():
        if rel not in opts.get("may_change", ()) and after.get(rel) != h:
            problems.append(f"input {rel} was changed")
    left = leftovers(tmp, opts.get("planted"))
    if left:
        problems.append(f"temporary files left: {left}")
    if opts.get("records"):
        path, n = opts["records"]
        full = os.path.join(tmp, path)
        got = sum(1 for line in open(full, "rb") if line.strip()) if os.path.exists(full) else None
        if got != n:
            problems.append(f"{path}: {got} records, expected {n}")
    if opts.get("check"):
        problem = opts["check"](tmp, text, proc.returncode)
        if problem:
            problems.append(problem)
    return "; ".join(problems)


def main():
    binary, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    only = sys.argv[3] if len(sys.argv) > 3 else ""
    names = [case[0] for case in CASES]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    passed = failed = 0
    if duplicates:
        failed += 1
        print(f"FAIL case names used twice: {duplicates}")
    for case in CASES:
        name, files, args, code, expected = case[:5]
        if only not in name:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            problem = run_case(binary, tmp, name, files, args, code, expected, options(case))
        if problem:
            failed += 1
            print(f"FAIL {name}: {problem}")
        else:
            passed += 1
            print(f"ok   {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
