"""Replaces every glyph's outline in a TrueType font by the box charts-rs measures around it.

charts-rs reads of a glyph only its advance and the box around its outline, as fontdue drew it:
curves cut into lines, level lines left out (charts-rs 2.3, src/charts/font.rs, `OutlineBox`).
A contour of two points, from one corner of that box to the other, measures the same wherever
the box's sides are whole font units — almost every glyph, whose extremes are points of its
outline. A composite glyph whose box is not (a dash or ≤ made by scaling another glyph) stays a
composite of the boxed glyphs, which scale into the same box. The result is checked here, box
against box in float64, and by tests/charts_font.rs in charts-rs itself at every size.

Usage: charts-font-boxes.py FONT  (rewritten in place; run by scripts/charts-font.sh)
"""

import sys

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import ttProgram
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphCoordinates


def measured_box(font, name):
    """(xmin, ymin, xmax, ymax) as charts-rs measures glyph `name`, or None for no outline.
    The contours are walked as ttf-parser walks them (implied on-curve points between two
    off-curve ones), each quadratic curve cut as `OutlineBox::curve` cuts it."""
    glyf = font["glyf"]
    if glyf[name].numberOfContours == 0:
        return None
    coords, ends, flags = glyf[name].getCoordinates(glyf)
    max_area = 3.0 * 2.0 * (font["head"].unitsPerEm / 40.0)
    box = [float("inf"), float("inf"), float("-inf"), float("-inf")]
    counted = False

    def line(a, c):
        nonlocal counted
        if a[1] == c[1]:
            return
        counted = True
        for x, y in (a, c):
            box[:] = [min(box[0], x), min(box[1], y), max(box[2], x), max(box[3], y)]

    def quad(a, control, c):
        def at(t):
            u = 1.0 - t
            ka, kb, kc = u * u, 2.0 * u * t, t * t
            return (ka * a[0] + kb * control[0] + kc * c[0], ka * a[1] + kb * control[1] + kc * c[1])

        pieces = [((a, 0.0), (c, 1.0))]
        while pieces:
            (p, tp), (q, tq) = pieces.pop()
            t = (tp + tq) * 0.5
            m = at(t)
            area = (m[0] - p[0]) * (q[1] - p[1]) - (q[0] - p[0]) * (m[1] - p[1])
            if abs(area) > max_area:
                pieces.append(((p, tp), (m, t)))
                pieces.append(((m, t), (q, tq)))
            else:
                line(p, q)

    def mid(a, c):
        return ((a[0] + c[0]) / 2.0, (a[1] + c[1]) / 2.0)

    start = 0
    for end in ends:
        first_on = first_off = last_off = previous = None
        for i in range(start, end + 1):
            p, on = (float(coords[i][0]), float(coords[i][1])), bool(flags[i] & 1)
            if first_on is None:
                if on:
                    first_on = previous = p
                elif first_off is not None:
                    first_on = previous = mid(first_off, p)
                    last_off = p
                else:
                    first_off = p
            elif last_off is not None:
                target = p if on else mid(last_off, p)
                quad(previous, last_off, target)
                previous, last_off = target, (None if on else p)
            elif on:
                line(previous, p)
                previous = p
            else:
                last_off = p
        start = end + 1
        if first_on is None:
            continue
        if first_off is not None and last_off is not None:
            target = mid(last_off, first_off)
            quad(previous, last_off, target)
            previous, last_off = target, None
        if first_off is not None:
            quad(previous, first_off, first_on)
        elif last_off is not None:
            quad(previous, last_off, first_on)
        else:
            line(previous, first_on)
    return tuple(box) if counted else None


def diagonal(box):
    glyph = Glyph()
    glyph.numberOfContours = 1
    glyph.coordinates = GlyphCoordinates([(int(box[0]), int(box[1])), (int(box[2]), int(box[3]))])
    glyph.flags = bytearray([1, 1])
    glyph.endPtsOfContours = [1]
    glyph.program = ttProgram.Program()
    glyph.program.fromBytecode(b"")
    return glyph


def main(path):
    font = TTFont(path, recalcTimestamp=False)
    glyf = font["glyf"]
    before = {name: measured_box(font, name) for name in glyf.keys()}
    boxed = []
    for name, box in before.items():
        if box is not None and all(v == int(v) for v in box):
            boxed.append(name)
        elif box is None and glyf[name].numberOfContours != 0:
            boxed.append(name)
    # Composites read their components' outlines, so all are measured before any is replaced.
    for name in boxed:
        glyf[name] = Glyph() if before[name] is None else diagonal(before[name])
    differ = [n for n in glyf.keys() if measured_box(font, n) != before[n]]
    if differ:
        sys.exit(f"charts-font-boxes: these glyphs would measure otherwise: {', '.join(differ)}")
    font.save(path)
    composites = [n for n in glyf.keys() if glyf[n].isComposite()]
    print(f"charts-font-boxes: {len(boxed)} glyphs boxed, {len(composites)} kept as composites of them")


if __name__ == "__main__":
    main(sys.argv[1])
