"""Reads DXF files with ezdxf (an independent DXF library) and reports, as JSON on stdout,
what a pattern CAD program would see: the audit's errors and fixes, and per block (piece)
the entities on each layer, whether the layer-1 cutting line is closed, its bounding box
and length, and what the model space inserts.

    var/venv/bin/python tools/dxf-check/check.py a.dxf b.dxf ...

Exit status 0 when every file was read; the caller judges the report.
"""

import json
import math
import sys
from collections import Counter

from ezdxf import recover


def polyline_points(entity):
    return [(v.dxf.location.x, v.dxf.location.y) for v in entity.vertices]


def check(path):
    doc, auditor = recover.readfile(path)
    blocks = {}
    for block in doc.blocks:
        if block.name.startswith("*"):
            continue
        layers = Counter(f"{e.dxftype()}@{e.dxf.layer}" for e in block)
        cut = [e for e in block if e.dxftype() == "POLYLINE" and e.dxf.layer == "1"]
        info = {"entities": dict(layers), "cut_lines": len(cut)}
        if cut:
            pts = polyline_points(cut[0])
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            info["cut_closed"] = bool(cut[0].is_closed)
            info["cut_points"] = len(pts)
            info["cut_bbox_mm"] = [min(xs), min(ys), max(xs), max(ys)]
            info["cut_length_mm"] = sum(
                math.dist(pts[i], pts[(i + 1) % len(pts)]) for i in range(len(pts))
            )
        info["texts"] = [e.dxf.text for e in block if e.dxftype() == "TEXT"]
        blocks[block.name] = info
    inserts = [e.dxf.name for e in doc.modelspace() if e.dxftype() == "INSERT"]
    return {
        "path": path,
        "dxfversion": doc.dxfversion,
        "insunits": doc.header.get("$INSUNITS"),
        "errors": [e.message for e in auditor.errors],
        "fixes": [f.message for f in auditor.fixes],
        "blocks": blocks,
        "inserts": inserts,
    }


if __name__ == "__main__":
    print(json.dumps([check(p) for p in sys.argv[1:]], indent=1))
