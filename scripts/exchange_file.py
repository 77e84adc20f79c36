#!/usr/bin/env python3
"""Exchange files of the self-assessment app, format version 2, read and written from the text of
docs/exchange-format.md alone: a second implementation, in another language than the app, so
that the specification (not the app's code) is what the test vectors pin down.

    python3 scripts/exchange_file.py verify FILE... [--expected tests/vectors/exchange/expected.json]
        Checks the header and every record's checksum (section 6); with --expected, also that each
        record's canonical form and digest are those listed. Exit status 1 on any problem.
    python3 scripts/exchange_file.py sign IN OUT
        Writes IN again with every record's `sha256` computed (IN may leave them out or wrong).
    python3 scripts/exchange_file.py canonical FILE
        Prints each record's canonical form (RFC 8785) and digest, for debugging another writer.
    python3 scripts/exchange_file.py selftest
        The number and string examples of RFC 8785 itself.

Standard library only (Python 3.8+).
"""

import decimal
import hashlib
import json
import math
import sys

FORMAT = "xa-phu-hop-tre-em/tu-danh-gia"
VERSION = 2
MAX_BYTES = 20 * 1024 * 1024
KNOWN_KINDS = {"tu-danh-gia"}


class FileProblem(Exception):
    """Something the specification does not allow."""


# --- Reading (section 1: UTF-8, optional BOM, I-JSON) ----------------------------------------


def _no_duplicates(pairs):
    seen = {}
    for name, value in pairs:
        if name in seen:
            raise FileProblem(f"duplicate member name {name!r} (I-JSON)")
        seen[name] = value
    return seen


def _no_constants(name):
    raise FileProblem(f"{name} is not JSON")


def parse(data: bytes):
    if len(data) > MAX_BYTES:
        raise FileProblem(f"larger than 20 MB ({len(data)} bytes)")
    text = data.decode("utf-8")  # raises on anything but UTF-8
    if text.startswith("\ufeff"):
        text = text[1:]
    return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)


# --- RFC 8785 canonical form (section 6, step 3) -----------------------------------------------


def es_number(x: float) -> str:
    """Number.prototype.toString: the shortest digits that read back as x (Python's repr gives
    them), laid out by ECMA-262's rules."""
    if math.isnan(x) or math.isinf(x):
        raise FileProblem("NaN and infinity are not JSON numbers")
    if x == 0:
        return "0"
    if x < 0:
        return "-" + es_number(-x)
    sign, digit_tuple, exponent = decimal.Decimal(repr(x)).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    k = len(digits)
    n = k + exponent  # x = 0.d1d2...dk × 10^n
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def es_string(s: str) -> str:
    out = ['"']
    for ch in s:
        if 0xD800 <= ord(ch) <= 0xDFFF:
            raise FileProblem("a lone surrogate is not Unicode text (I-JSON)")
        if ch in _SHORT:
            out.append(_SHORT[ch])
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def canonical(value) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        # Every JSON number is a double (I-JSON); float() rounds to the nearest like a parser.
        return es_number(float(value))
    if isinstance(value, float):
        return es_number(value)
    if isinstance(value, str):
        return es_string(value)
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        # Names compared as UTF-16 code units: big-endian UTF-16 bytes sort the same way.
        names = sorted(value, key=lambda name: name.encode("utf-16-be", "surrogatepass"))
        return "{" + ",".join(es_string(n) + ":" + canonical(value[n]) for n in names) + "}"
    raise FileProblem(f"not a JSON value: {value!r}")


def record_canonical(record: dict) -> str:
    return canonical({name: v for name, v in record.items() if name != "sha256"})


def digest(record: dict) -> str:
    return hashlib.sha256(record_canonical(record).encode("utf-8")).hexdigest()


# --- The file (sections 2, 3) -------------------------------------------------------------------


def records(top) -> list:
    if not isinstance(top, dict):
        raise FileProblem("the top level is not an object")
    if top.get("format") != FORMAT:
        raise FileProblem(f"format is not {FORMAT!r}")
    version = top.get("format_version")
    if version != VERSION:
        raise FileProblem(f"format_version is {version!r}, this tool reads {VERSION}")
    kind = top.get("kind", "tu-danh-gia")
    if kind not in KNOWN_KINDS:
        raise FileProblem(f"unknown kind {kind!r}")
    if not isinstance(top.get("exported_at"), str):
        raise FileProblem("exported_at is missing or not a string")
    found = top.get("assessments")
    if not isinstance(found, list) or not found:
        raise FileProblem("assessments is missing, empty or not an array")
    for i, r in enumerate(found, 1):
        if not isinstance(r, dict) or not isinstance(r.get("assessment"), dict):
            raise FileProblem(f"record {i} is not an object with an `assessment` object")
    return found


def label(record: dict) -> str:
    a = record.get("assessment", {})
    commune = a.get("commune", {}) if isinstance(a.get("commune"), dict) else {}
    return f"{commune.get('code', '?')}/{a.get('year', '?')}"


# --- Commands -----------------------------------------------------------------------------------


def verify(paths, expected_path=None) -> bool:
    expected = {}
    if expected_path:
        with open(expected_path, "rb") as f:
            expected = parse(f.read())
    ok = True
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        if name == "expected.json":
            continue
        try:
            with open(path, "rb") as f:
                top = parse(f.read())
            if isinstance(top, dict) and top.get("format_version") == 1:
                print(f"{name}: version 1 (its checksum is not defined on the file's text; skipped)")
                continue
            found = records(top)
        except (FileProblem, ValueError) as e:
            print(f"{name}: REFUSED: {e}")
            ok = False
            continue
        listed = expected.get(name)
        if listed is not None and len(listed) != len(found):
            print(f"{name}: {len(found)} records, expected.json lists {len(listed)}")
            ok = False
        for i, r in enumerate(found):
            text = record_canonical(r)
            computed = hashlib.sha256(text.encode("utf-8")).hexdigest()
            in_file = r.get("sha256")
            problems = []
            if not isinstance(in_file, str) or in_file.lower() != computed:
                problems.append(f"sha256 in the file {in_file!r} != computed {computed}")
            if listed is not None and i < len(listed):
                if listed[i].get("canonical") != text:
                    problems.append("canonical form differs from expected.json")
                if listed[i].get("sha256") != computed:
                    problems.append(f"digest differs from expected.json ({listed[i].get('sha256')})")
            status = "ok" if not problems else "MISMATCH: " + "; ".join(problems)
            print(f"{name} #{i + 1} {label(r)}: {status}")
            ok = ok and not problems
    return ok


def sign(source, target):
    with open(source, "rb") as f:
        top = parse(f.read())
    for r in records(top):
        r["sha256"] = digest(r)
    with open(target, "w", encoding="utf-8") as f:
        json.dump(top, f, ensure_ascii=False, indent=2)
        f.write("\n")


def show(path):
    with open(path, "rb") as f:
        for i, r in enumerate(records(parse(f.read())), 1):
            print(f"#{i} {digest(r)}\n{record_canonical(r)}")


def selftest() -> bool:
    # RFC 8785, Appendix B: IEEE 754 bit patterns and their text.
    numbers = {
        "0000000000000000": "0", "8000000000000000": "0", "0000000000000001": "5e-324",
        "8000000000000001": "-5e-324", "7fefffffffffffff": "1.7976931348623157e+308",
        "ffefffffffffffff": "-1.7976931348623157e+308", "4340000000000000": "9007199254740992",
        "c340000000000000": "-9007199254740992", "4430000000000000": "295147905179352830000",
        "44b52d02c7e14af5": "9.999999999999997e+22", "44b52d02c7e14af6": "1e+23",
        "44b52d02c7e14af7": "1.0000000000000001e+23", "444b1ae4d6e2ef4e": "999999999999999700000",
        "444b1ae4d6e2ef4f": "999999999999999900000", "444b1ae4d6e2ef50": "1e+21",
        "3eb0c6f7a0b5ed8c": "9.999999999999997e-7", "3eb0c6f7a0b5ed8d": "0.000001",
        "41b3de4355555553": "333333333.3333332", "41b3de4355555554": "333333333.33333325",
        "41b3de4355555555": "333333333.3333333", "41b3de4355555556": "333333333.3333334",
        "41b3de4355555557": "333333333.33333343", "becbf647612f3696": "-0.0000033333333333333333",
        "43143ff3c1cb0959": "1424953923781206.2",
    }
    ok = True
    for bits, text in numbers.items():
        x = __import__("struct").unpack(">d", bytes.fromhex(bits))[0]
        if es_number(x) != text:
            print(f"{bits}: {es_number(x)} != {text}")
            ok = False
    # RFC 8785, 3.2.2 and 3.2.3: the sample object and the sorting sample.
    sample = parse(
        b'{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        b' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        b' "literals": [null, true, false]}'
    )
    want = ('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
            '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}')
    if canonical(sample) != want:
        print(f"sample: {canonical(sample)}")
        ok = False
    sorting = parse(
        b'{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With'
        b' Dagesh", "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control",'
        b' "\\u00f6": "Latin Small Letter O With Diaeresis"}'
    )
    order = [json.loads(f'"{n}"') for n in
             ["\\r", "1", "\\u0080", "\\u00f6", "\\u20ac", "\\ud83d\\ude00", "\\ufb33"]]
    got = list(json.loads(canonical(sorting)).keys())
    if got != order:
        print(f"sorting: {got}")
        ok = False
    # Numbers of every magnitude as Node.js printed them (tests/vectors/jcs-numbers.txt).
    import os
    corpus = os.path.join(os.path.dirname(__file__), "..", "tests", "vectors", "jcs-numbers.txt")
    if os.path.exists(corpus):
        with open(corpus, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                bits, text = line.split()
                x = __import__("struct").unpack(">d", bytes.fromhex(bits))[0]
                if es_number(x) != text:
                    print(f"{bits}: {es_number(x)} != {text} (Node.js)")
                    ok = False
    print("selftest:", "ok" if ok else "FAILED")
    return ok


def main(argv) -> int:
    if len(argv) >= 2 and argv[0] == "verify":
        paths = [a for a in argv[1:] if not a.startswith("--")]
        expected = None
        if "--expected" in argv:
            expected = argv[argv.index("--expected") + 1]
            paths = [p for p in paths if p != expected]
        return 0 if verify(paths, expected) else 1
    if len(argv) == 3 and argv[0] == "sign":
        sign(argv[1], argv[2])
        return 0
    if len(argv) == 2 and argv[0] == "canonical":
        show(argv[1])
        return 0
    if argv == ["selftest"]:
        return 0 if selftest() else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
