#!/usr/bin/python3
"""The function-size measure (issue 17): no function in src/ longer than 80 lines or above
cyclomatic complexity 25.

    function_size.py ROOT [--known FILE] [--max-lines N] [--max-complexity N]

Reads every .cpp and .h under ROOT/src (or, if ROOT has no src/, under ROOT itself) and lists each
function over a limit as `file:line: function lines=N complexity=M`. A function is measured from
the line of its name to the line of its closing brace; its complexity is 1 plus one for each
`if`, `for`, `while`, `case`, `catch`, `&&`, `||` and `?` in it (lizard's count), lambdas included
in the function that holds them.

--known FILE names offenders that may remain for now, one a line: `path function lines
complexity` (path relative to ROOT). A listed function may not grow past the size written there,
and an entry whose function is no longer an offender (fixed, renamed or gone) is itself an error,
so the list only shrinks. Exit 0 when nothing is over a limit beyond the list, else 1.

Why a script and not clang-tidy: readability-function-size counts lines and statements but not
cyclomatic complexity, cognitive complexity is another measure, and running clang-tidy over src/
needs a compilation database and minutes of parsing; this reads the text in well under a second,
needs nothing but Python, and gives the same numbers on every machine. It is a tokenizer, not a
parser: it knows the shapes this code base uses (namespaces, classes, templates, constructor
initializer lists, lambdas, raw strings) and is held to them by its own test on a planted file
(tests/measures/planted).
"""

import argparse
import os
import re
import sys

STATEMENTS = {"return", "if", "for", "while", "switch", "catch", "do", "else", "case"}
DECISIONS = {"if", "for", "while", "case", "catch", "&&", "||", "?"}
TYPE_KEYWORDS = {"class", "struct", "union", "enum"}
TOKEN = re.compile(
    r"""(?P<id>[A-Za-z_][A-Za-z_0-9]*)|(?P<num>\.?[0-9](?:'?[0-9A-Za-z_.]|[eEpP][+-])*)"""
    r"""|(?P<op>::|->|&&|\|\||<<=|>>=|[-+*/%&|^!=<>]=|\S)"""
)


def strip(text):
    """The text with comments, string and character literals and preprocessor lines blanked
    (newlines kept, so line numbers stay)."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == "#":
            j = i
            while j < n and (text[j] != "\n" or text[j - 1] == "\\"):
                j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        if c == "\n":
            line_start = True
            out.append(c)
            i += 1
            continue
        if not c.isspace():
            line_start = False
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "R" and text.startswith('R"', i) and (i == 0 or not text[i - 1].isalnum()):
            m = re.compile(r'R"([^(\s]*)\(').match(text, i)
            end = text.find(")" + m.group(1) + '"', m.end())
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append('""' + re.sub(r"[^\n]", " ", text[i + 2 : j]))
            i = j
        elif c in "\"'" and not (c == "'" and i > 0 and text[i - 1].isalnum()):
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (j - i - 1) + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def tokens(text):
    """(kind, text, line) for each token of stripped text."""
    line = 1
    pos = 0
    for m in TOKEN.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        kind = "id" if m.group("id") else "num" if m.group("num") else "op"
        yield kind, m.group(0), line


def drop_templates(head):
    """The head without `template <...>` parameter lists."""
    out = []
    i = 0
    while i < len(head):
        if head[i][1] == "template" and i + 1 < len(head) and head[i + 1][1] == "<":
            depth, i = 0, i + 1
            while i < len(head):
                depth += {"<": 1, ">": -1}.get(head[i][1], 0)
                i += 1
                if depth == 0:
                    break
            continue
        out.append(head[i])
        i += 1
    return out


def function_name(head):
    """(name, line) of the function a head declares, or None when the head is no function."""
    head = drop_templates(head)
    words = [t[1] for t in head]
    if not words or "(" not in words or words[0] in STATEMENTS:
        return None
    depth = 0
    for k, w in enumerate(words):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(w, 0)
        if depth == 0 and w == "=" and (k == 0 or words[k - 1] != "operator"):
            return None  # a variable's initializer, a lambda held in one
    first = words.index("(")
    if any(w in TYPE_KEYWORDS or w == "namespace" for w in words[:first]):
        return None
    if first >= 1 and words[first - 1] == "operator":  # operator()
        name, k = ["operator()"], first - 2
    elif first >= 2 and words[first - 2] == "operator":  # operator==, operator bool
        name, k = ["operator" + words[first - 1]], first - 3
    elif first >= 1 and head[first - 1][0] == "id":
        name, k = [words[first - 1]], first - 2
        if k >= 0 and words[k] == "~":
            name[0] = "~" + name[0]
            k -= 1
    else:
        return None
    while k >= 1 and words[k] == "::":
        k -= 1
        if words[k] == ">":  # Box<T>::get: named Box::get
            depth = 0
            while k >= 0:
                depth += {"<": -1, ">": 1}.get(words[k], 0)
                k -= 1
                if depth == 0:
                    break
        if k < 0:
            break
        name.insert(0, words[k] + "::")
        k -= 1
    return "".join(name), head[first - 1][2]


def scope_kind(head):
    """What a brace that is no function body opens: a namespace or class (which hold functions),
    or anything else (an initializer, an enum)."""
    words = [t[1] for t in drop_templates(head)]
    if "namespace" in words or "extern" in words:
        return "namespace"
    if any(w in ("class", "struct", "union") for w in words) and "=" not in words:
        return "class"
    return "other"


def in_initializer_list(head):
    """True when the head ends inside a constructor's member initializer list."""
    depth = 0
    seen_params = False
    for _, word, _ in head:
        if word in "([":
            depth += 1
        elif word in ")]":
            depth -= 1
            if depth == 0:
                seen_params = True
        elif word == ":" and depth == 0 and seen_params:
            return True
    return False


def measure(text):
    """(name, first line, last line, complexity) of each function defined in `text`."""
    toks = list(tokens(strip(text)))
    found = []
    scopes = []  # "namespace", "class", "other", or the open function: [name, first, last, cc]
    head = []
    i = 0
    while i < len(toks):
        word, line = toks[i][1], toks[i][2]
        if scopes and isinstance(scopes[-1], list) or "block" in scopes:
            i = function_body(toks, i, scopes, found)
            continue
        if word == ";":
            head = []
        elif word == "}":
            if scopes:
                scopes.pop()
            head = []
        elif word == "{":
            named = function_name(head) if not scopes or scopes[-1] != "other" else None
            if named and in_initializer_list(head) and head[-1][0] == "id":
                # a member's brace initializer, x_{1}: part of the head
                depth = 0
                while True:
                    depth += {"{": 1, "}": -1}.get(toks[i][1], 0)
                    head.append(toks[i])
                    if depth == 0 or i + 1 == len(toks):
                        break
                    i += 1
            elif named:
                scopes.append([named[0], named[1], line, 1])
                head = []
            else:
                scopes.append(scope_kind(head))
                head = []
        else:
            head.append(toks[i])
        i += 1
    return found


def function_body(toks, i, scopes, found):
    """Counts one token inside a function (scopes holds it, then its inner blocks); returns the
    index of the next token."""
    word, line = toks[i][1], toks[i][2]
    if word == "{":
        scopes.append("block")
    elif word == "}":
        top = scopes.pop()
        if isinstance(top, list):
            top[2] = line
            found.append(tuple(top))
    elif word in DECISIONS:
        function = next(s for s in reversed(scopes) if isinstance(s, list))
        function[3] += 1
    return i + 1


def sources(root):
    base = os.path.join(root, "src") if os.path.isdir(os.path.join(root, "src")) else root
    for folder, _, files in sorted(os.walk(base)):
        for f in sorted(files):
            if f.endswith((".cpp", ".h")):
                yield os.path.join(folder, f)


def read_known(path):
    known = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 4:
                sys.exit(f"{path}:{number}: expected `path function lines complexity`")
            known.append((parts[0], parts[1], int(parts[2]), int(parts[3]), number))
    return known


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--known")
    parser.add_argument("--max-lines", type=int, default=80)
    parser.add_argument("--max-complexity", type=int, default=25)
    args = parser.parse_args()
    known = read_known(args.known) if args.known else []
    used = set()
    problems = 0
    offenders = 0
    for path in sources(args.root):
        rel = os.path.relpath(path, args.root)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for name, first, last, complexity in measure(text):
            lines = last - first + 1
            if lines <= args.max_lines and complexity <= args.max_complexity:
                continue
            offenders += 1
            where = f"{rel}:{first}: {name} lines={lines} complexity={complexity}"
            entry = next(
                (k for k in known if k[0] == rel and k[1] == name and k[4] not in used), None
            )
            if entry is None:
                print(where)
                problems += 1
                continue
            used.add(entry[4])
            if lines > max(entry[2], args.max_lines) or complexity > max(
                entry[3], args.max_complexity
            ):
                print(f"{where}: grew past its known size (lines={entry[2]} "
                      f"complexity={entry[3]}, {args.known}:{entry[4]})")
                problems += 1
    for k in known:
        if k[4] not in used:
            print(f"{args.known}:{k[4]}: {k[0]} {k[1]} is no longer over a limit: remove the entry")
            problems += 1
    print(f"{offenders} function(s) over {args.max_lines} lines or complexity "
          f"{args.max_complexity}, {len(known)} known, {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
