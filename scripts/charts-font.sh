#!/usr/bin/env bash
# Makes scripts/charts-font/Roboto-latin-vi.ttf: the Latin and Vietnamese part of the Roboto font
# that charts-rs embeds to measure text (the drawings use the page's fonts). The build puts it in
# place of the full font (scripts/wasm-split.mjs); tests/charts_font.rs proves the charts measure
# and draw the same with it. Run again only when charts-rs's font changes (the build says so).
# Needs Python 3; installs fontTools (PyPI, pinned) into target/fonttools the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

FONTTOOLS_VERSION=4.68.0
# Latin (Basic, Latin-1, Extended-A/B and Additional, which holds Vietnamese), the combining marks
# of decomposed Vietnamese text, spacing accents, punctuation, currency (₫), letterlike symbols,
# arrows, mathematical operators (≤ ≥ −), geometric shapes, Latin ligatures, the replacement
# character. Left out: Greek and Cyrillic, most of what the full font holds, and private use.
UNICODES="U+0000-024F,U+02B0-02FF,U+0300-036F,U+1E00-1EFF,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-21FF,U+2200-22FF,U+25A0-25FF,U+FB00-FB06,U+FEFF,U+FFFC-FFFD"

manifest=$(cargo metadata --format-version 1 --offline --locked \
  | python3 -c 'import json,sys; print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"] == "charts-rs"))')
source_font="$(dirname "$manifest")/src/Roboto.ttf"
charts_version=$(basename "$(dirname "$manifest")")

venv=target/fonttools
if ! "$venv/bin/pyftsubset" --help >/dev/null 2>&1 \
  || ! "$venv/bin/python" -c "import fontTools,sys; sys.exit(fontTools.version != '$FONTTOOLS_VERSION')"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "fonttools==$FONTTOOLS_VERSION"
fi

out=scripts/charts-font
mkdir -p "$out"
# Advances, vertical metrics, character map and names (with the licence) are kept as they are,
# and each outline as the box around it: that is all charts-rs reads. Hinting, kerning and
# substitutions are dropped (charts-rs lays text out glyph by glyph); .notdef is kept (as its box):
# a missing character measures as it.
options=(--no-hinting --notdef-outline "--layout-features=" "--drop-tables+=GDEF,GPOS,GSUB,hdmx,gasp"
  "--name-IDs=*" "--name-languages=*" "--name-legacy")
"$venv/bin/pyftsubset" "$source_font" --unicodes="$UNICODES" "${options[@]}" \
  --output-file="$out/Roboto-latin-vi.ttf"
"$venv/bin/python" scripts/charts-font-boxes.py "$out/Roboto-latin-vi.ttf"

python3 - "$source_font" "$out/Roboto-latin-vi.ttf" "$charts_version" "$FONTTOOLS_VERSION" "$UNICODES" "${options[*]}" <<'EOF' > "$out/Roboto-latin-vi.json"
import hashlib, json, sys
source, subset, charts, fonttools, unicodes, options = sys.argv[1:]
data = open(source, "rb").read()
print(json.dumps({
    "about": "The part of charts-rs's Roboto that the build embeds instead of the full font "
             "(scripts/charts-font.sh made it; scripts/wasm-split.mjs puts it in place; "
             "tests/charts_font.rs checks it).",
    "source": f"{charts}/src/Roboto.ttf",
    "source_bytes": len(data),
    "source_sha256": hashlib.sha256(data).hexdigest(),
    "subset_bytes": len(open(subset, "rb").read()),
    "unicodes": unicodes,
    "made_with": f"fonttools {fonttools} pyftsubset {options}, then scripts/charts-font-boxes.py",
}, indent=2, ensure_ascii=False))
EOF
echo "charts-font: $out/Roboto-latin-vi.ttf ($(stat -c %s "$out/Roboto-latin-vi.ttf") bytes, from $(stat -c %s "$source_font"))"
