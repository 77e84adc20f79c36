#!/usr/bin/env python3
"""Regenerate public/data/divisions.json from the PyPI package `vietnam-provinces`.

Usage: python3 scripts/update-divisions.py [VERSION]   (default: the version below)

The package ships the official list of provinces and commune-level units after the 2025 reform
(34 provinces, 3,321 units since 01/07/2025) with the codes of the national statistics
classification. It gives codes as integers; the official codes are zero-padded strings
(province: 2 digits, commune: 5 digits), which is what the app stores and exchanges.

Output layout (compact, one commune per line so that updates diff well):

    {"source":"...",
     "package_version":"...",
     "provinces":[
     {"code":"01","name":"Thành phố Hà Nội","type":"thành phố trung ương","communes":[
    ["00004","p","Ba Đình"],
    ...
     ]},
    ...]}

A commune is [code, type, name without its type prefix]; type is "x" (xã), "p" (phường) or
"d" (đặc khu). The full name is the type prefix + " " + name ("Phường Hoàn Kiếm"); the script
checks that every name has exactly that prefix, so nothing is lost.

Python 3 standard library only; needs `pip` for the download.
"""

import json
import pathlib
import subprocess
import sys
import tempfile
import zipfile

DEFAULT_VERSION = "2025.10.1"
DATA_PATH = "vietnam_provinces/data/nested-divisions.json"
OUT = pathlib.Path(__file__).resolve().parent.parent / "public" / "data" / "divisions.json"

COMMUNE_TYPES = {"xã": ("x", "Xã "), "phường": ("p", "Phường "), "đặc khu": ("d", "Đặc khu ")}
PROVINCE_TYPES = {"tỉnh", "thành phố trung ương"}


def download(version: str, into: pathlib.Path) -> pathlib.Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         "--only-binary=:all:", "-d", str(into), f"vietnam-provinces=={version}"],
        check=True,
    )
    wheels = sorted(into.glob("vietnam_provinces-*.whl"))
    if len(wheels) != 1:
        sys.exit(f"expected one wheel, found {wheels}")
    return wheels[0]


def convert(nested: list, version: str) -> dict:
    provinces = []
    seen = set()
    for p in nested:
        if p["division_type"] not in PROVINCE_TYPES:
            sys.exit(f"unknown province type {p['division_type']!r} for {p['name']!r}")
        code = f"{p['code']:02d}"
        communes = []
        for w in p["wards"]:
            kind, prefix = COMMUNE_TYPES.get(w["division_type"], (None, None))
            if kind is None:
                sys.exit(f"unknown commune type {w['division_type']!r} for {w['name']!r}")
            if not w["name"].startswith(prefix):
                sys.exit(f"name {w['name']!r} lacks its type prefix {prefix!r}")
            ccode = f"{w['code']:05d}"
            communes.append([ccode, kind, w["name"][len(prefix):]])
            if ccode in seen:
                sys.exit(f"duplicate code {ccode}")
            seen.add(ccode)
        if len(code) != 2 or any(len(c[0]) != 5 for c in communes):
            sys.exit(f"code too long in {p['name']!r}")
        communes.sort(key=lambda c: c[0])
        provinces.append({"code": code, "name": p["name"], "type": p["division_type"],
                          "communes": communes})
    provinces.sort(key=lambda p: p["code"])
    return {
        "source": f"PyPI vietnam-provinces=={version}, {DATA_PATH}",
        "package_version": version,
        "provinces": provinces,
    }


def dump(data: dict) -> str:
    def dumps(v):
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"))

    out = ['{"source":' + dumps(data["source"]) + ",",
           ' "package_version":' + dumps(data["package_version"]) + ",",
           ' "provinces":[']
    for i, p in enumerate(data["provinces"]):
        head = {k: p[k] for k in ("code", "name", "type")}
        out.append(" " + dumps(head)[:-1] + ',"communes":[')
        rows = [dumps(c) for c in p["communes"]]
        out.append(",\n".join(rows))
        out.append(" ]}" + ("," if i + 1 < len(data["provinces"]) else ""))
    out.append("]}")
    return "\n".join(out) + "\n"


def main() -> None:
    version = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_VERSION
    with tempfile.TemporaryDirectory() as tmp:
        wheel = download(version, pathlib.Path(tmp))
        with zipfile.ZipFile(wheel) as z:
            nested = json.loads(z.read(DATA_PATH).decode("utf-8"))
    data = convert(nested, version)
    text = dump(data)
    json.loads(text)  # the hand-written layout must stay valid JSON
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    n = sum(len(p["communes"]) for p in data["provinces"])
    print(f"{OUT}: {len(data['provinces'])} provinces, {n} communes")


if __name__ == "__main__":
    main()
