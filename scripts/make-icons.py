#!/usr/bin/env python3
"""Draws the app icons (a house for the commune, a heart for the child) as PNG files.

Standard library only (zlib + struct), so any machine with Python can regenerate them and the
output is byte-for-byte reproducible. Usage: python3 scripts/make-icons.py [public/icons]

- icon-192.png, icon-512.png: a rounded blue tile, transparent corners ("purpose": "any").
- icon-maskable-512.png: a full-bleed blue square with the drawing inside the central safe
  zone (a circle of 40 % radius), because launchers crop maskable icons to their own shape.
"""

import os
import struct
import sys
import zlib

BLUE = (0x0B, 0x53, 0x94)
WHITE = (0xFF, 0xFF, 0xFF)
RED = (0xB3, 0x26, 0x1E)
# 3 x 3 samples per pixel smooth the edges without any imaging library.
SAMPLES = [(i + 0.5) / 3 for i in range(3)]


def in_triangle(x, y, a, b, c):
    def side(p, q):
        return (x - q[0]) * (p[1] - q[1]) - (p[0] - q[0]) * (y - q[1])

    d1, d2, d3 = side(a, b), side(b, c), side(c, a)
    has_neg = d1 < 0 or d2 < 0 or d3 < 0
    has_pos = d1 > 0 or d2 > 0 or d3 > 0
    return not (has_neg and has_pos)


def in_circle(x, y, cx, cy, r):
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def drawing(x, y):
    """Colour of the drawing at (x, y) in its own unit square, or None where it is empty."""
    heart = (
        in_circle(x, y, 0.415, 0.625, 0.095)
        or in_circle(x, y, 0.585, 0.625, 0.095)
        or in_triangle(x, y, (0.33, 0.66), (0.67, 0.66), (0.5, 0.84))
    )
    if heart:
        return RED
    roof = in_triangle(x, y, (0.5, 0.1), (0.04, 0.5), (0.96, 0.5))
    body = 0.16 <= x <= 0.84 and 0.46 <= y <= 0.92
    if roof or body:
        return WHITE
    return None


def in_rounded_square(x, y, radius):
    cx = min(max(x, radius), 1 - radius)
    cy = min(max(y, radius), 1 - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius


def render(size, maskable):
    # Where the drawing sits inside the icon, as (offset, scale) of the unit square.
    offset, scale = (0.22, 0.56) if maskable else (0.14, 0.72)
    rows = []
    for py in range(size):
        row = []
        for px in range(size):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sy in SAMPLES:
                for sx in SAMPLES:
                    x, y = (px + sx) / size, (py + sy) / size
                    if not maskable and not in_rounded_square(x, y, 0.18):
                        continue
                    colour = drawing((x - offset) / scale, (y - offset) / scale) or BLUE
                    acc[0] += colour[0]
                    acc[1] += colour[1]
                    acc[2] += colour[2]
                    acc[3] += 255
            n = len(SAMPLES) ** 2
            alpha = acc[3] / n
            if alpha == 0:
                row.append((0, 0, 0, 0))
                continue
            # Colour averaged over the covered samples only (straight, not premultiplied, alpha).
            covered = acc[3] / 255
            row.append(tuple(round(c / covered) for c in acc[:3]) + (round(alpha),))
        rows.append(row)
    return png(size, rows)


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(size, rows):
    """A palette PNG: the three colours blended at the edges give a few dozen RGBA values, one
    byte a pixel instead of four (the three files went from 10.7 to 6.6 kB), exactly the same
    image."""
    colours = sorted({pixel for row in rows for pixel in row}, key=lambda c: (c[3], c))
    assert len(colours) <= 256, f"{len(colours)} colours do not fit a palette"
    index = {c: i for i, c in enumerate(colours)}
    # Filter type 0 (none) on each scanline.
    raw = b"".join(bytes([0]) + bytes(index[p] for p in row) for row in rows)
    palette = b"".join(bytes(c[:3]) for c in colours)
    # Opacities of the palette's entries, the opaque ones (sorted last) left out.
    opaque = sum(1 for c in colours if c[3] == 255)
    alphas = bytes(c[3] for c in colours[: len(colours) - opaque])
    header = struct.pack(">IIBBBBB", size, size, 8, 3, 0, 0, 0)  # 8-bit palette indices
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"PLTE", palette)
        + (chunk(b"tRNS", alphas) if alphas else b"")
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "public/icons"
    os.makedirs(out, exist_ok=True)
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
    ]:
        path = os.path.join(out, name)
        with open(path, "wb") as f:
            f.write(render(size, maskable))
        print(f"{path}: {size}x{size}{' maskable' if maskable else ''}")


if __name__ == "__main__":
    main()
