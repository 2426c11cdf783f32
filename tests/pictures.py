#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check a dmakit picture: the SVG with a real XML parser, the JSON with
json. Usage: pictures.py svg FILE PANELS | json FILE PANELS | story FILE |
png FILE (a screenshot has many colours and is not blank).

Prints "ok - ..." / "FAIL - ..." lines, as tests/check.sh does, and exits
1 if any check failed."""
import json
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

NS = "{http://www.w3.org/2000/svg}"
failed = 0


def check(name, cond):
    global failed
    print(("ok - " if cond else "FAIL - ") + name)
    failed += not cond


def panels_of(root):
    return [g for g in root.iter(NS + "g") if g.get("class") == "panel"]


def grid(panel):
    """cells[(row, col)] = element; events[col] = element; rows[row]."""
    cells, events, rows, marks = {}, {}, {}, {}
    for e in panel.iter():
        cls = e.get("class")
        if cls == "cell":
            cells[(int(e.get("data-row")), int(e.get("data-col")))] = e
        elif cls == "event":
            events[int(e.get("data-col"))] = e
        elif cls == "line":
            rows[int(e.get("data-row"))] = e
        elif cls == "mark":
            marks[(int(e.get("data-row")), int(e.get("data-col")))] = e
    return cells, events, rows, marks


def check_svg(path, npanels):
    root = ET.parse(path).getroot()     # raises on malformed XML
    check("%s is well-formed SVG" % path, root.tag == NS + "svg")
    check("no script in it", not list(root.iter(NS + "script")))
    ps = panels_of(root)
    check("%d panel(s)" % npanels, len(ps) == npanels)
    for p in ps:
        cells, events, rows, _ = grid(p)
        nrows, ncols = int(p.get("data-rows")), int(p.get("data-cols"))
        title = p.get("data-title")
        check("%s: a cell for every row and shown event" % title,
              len(cells) == nrows * ncols and len(events) == ncols and
              len(rows) == nrows)
        # Cells sit in their event's column and their label's row.
        xs = {}
        ok = True
        for (r, c), e in cells.items():
            x, y = float(e.get("x")), float(e.get("y"))
            xs.setdefault(c, x)
            ok &= xs[c] == x
            ok &= abs(float(rows[r].get("y")) - (y + 12)) < 0.5
        glyph_ok = all(
            abs(float(events[c].findall(NS + "text")[1].get("x")) -
                (xs[c] + float(cells[(0, c)].get("width")) / 2)) <= 1
            for c in events) if nrows else True
        check("%s: cells line up under their events and beside their rows"
              % title, ok and glyph_ok)
        cols = sorted(xs, key=lambda c: xs[c])
        check("%s: columns in event order left to right" % title,
              cols == sorted(cols) and
              [int(events[c].get("data-seq")) for c in cols] ==
              sorted(int(events[c].get("data-seq")) for c in cols))
    return ps


def check_story(path):
    """two-are-better-than-one, adversarial: buggy loses data where a
    write-back lands on the packet; the fixed run loses none."""
    ps = check_svg(path, 2)
    if len(ps) != 2:
        return
    cells, events, rows, marks = grid(ps[0])
    wb = [(r, c) for (r, c), m in marks.items()
          if m.get("data-mark") == "written-back-over-device-data"]
    check("buggy: lines written back over the packet are framed", len(wb) >= 1)
    ok = True
    for r, c in wb:
        shown = sorted(events)
        before = shown[shown.index(c) - 1]
        ok &= events[c].get("data-kind") == "writeback"
        ok &= cells[(r, before)].get("data-state") == "dirty-over-device-data"
        ok &= rows[r].get("fill") == "#cc0000"
    check("buggy: each frame is on a write-back column, the line dirty over "
          "the device's data just before, its label red", ok and wb != [])
    kinds = {e.get("data-kind") for e in events.values()}
    check("buggy: device writes, write-backs and findings drawn",
          {"device-write", "writeback", "finding"} <= kinds)
    cells, events, rows, marks = grid(ps[1])
    check("fixed: nothing framed", not marks)
    kinds = {e.get("data-kind") for e in events.values()}
    check("fixed: map, sync for cpu and device, unmap drawn",
          {"map", "sync-for-cpu", "sync-for-device", "unmap"} <= kinds)


def check_json(path, npanels):
    with open(path) as f:
        doc = json.load(f)
    ev = doc.get("traceEvents")
    check("%s loads as a trace-event object" % path, isinstance(ev, list))
    if not isinstance(ev, list):
        return
    need = {"ph", "ts", "pid", "tid", "name"}
    check("every event has ph, ts, pid, tid, name",
          all(need <= e.keys() for e in ev))
    check("complete events have a duration and args",
          all("dur" in e and "args" in e for e in ev if e["ph"] == "X"))
    check("instant events have a scope",
          all(e.get("s") in ("t", "p", "g") for e in ev if e["ph"] == "i"))
    check("timestamps are numbers", all(
        isinstance(e["ts"], (int, float)) for e in ev))
    procs = {e["pid"] for e in ev if e["ph"] == "M" and
             e["name"] == "process_name"}
    check("%d process(es), one per panel" % npanels, len(procs) == npanels)
    lines = [e for e in ev if e.get("cat") == "line-state"]
    check("line tracks carry state stretches", len(lines) > 0)


def png_pixels(path):
    """Decode an 8-bit RGB or RGBA PNG (what Chromium writes) with zlib:
    (width, height, rows of bytes, bytes per pixel)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype = hdr[0], hdr[1], hdr[2], hdr[3]
    if depth != 8 or ctype not in (2, 6):
        raise ValueError("PNG colour type %d depth %d" % (ctype, depth))
    bpp = 3 if ctype == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], None
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        up = prev if prev else bytearray(stride)
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = up[i]
            c = up[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        rows.append(line)
        prev = line
    return w, h, rows, bpp


def check_png(path):
    w, h, rows, bpp = png_pixels(path)
    colours, ink = set(), 0
    for line in rows[::4]:
        for x in range(0, w * bpp, bpp * 4):
            px = bytes(line[x:x + 3])
            colours.add(px)
            ink += px != b"\xff\xff\xff"
    samples = len(rows[::4]) * len(range(0, w * bpp, bpp * 4))
    check("%s: %dx%d, %d colours sampled" % (path, w, h, len(colours)),
          len(colours) >= 8)
    check("%s: not blank (%.1f%% ink)" % (path, 100.0 * ink / samples),
          ink > samples // 50)


def main():
    what, path = sys.argv[1], sys.argv[2]
    try:
        if what == "svg":
            check_svg(path, int(sys.argv[3]))
        elif what == "json":
            check_json(path, int(sys.argv[3]))
        elif what == "png":
            check_png(path)
        else:
            check_story(path)
    except (ET.ParseError, ValueError, OSError, KeyError) as e:
        check("%s parses: %s" % (path, e), False)
    sys.exit(1 if failed else 0)


main()
