#!/usr/bin/env python3
"""Trains Catwalk's body-shape regressor: front and side silhouettes plus height -> body-model
parameters, and exports it as ONNX (models/shape_regressor.onnx).

The data set is rendered from the body model itself by
`cargo run -p catwalk_avatar --example shape_dataset` (see models/README.md). Each sample is a
pair of normalised silhouettes (person scaled to the grid height, centred), the person's
height and the parameters that made the body. The model is small and fixed-size so it runs in
well under a millisecond through ONNX Runtime:

    silhouettes (2 x H x W) --flatten, centre, PCA (from the training set)--> k components
    silhouettes --row sums (widths per level; front also within central bands)--> profiles
    [components, profiles, (height - 170) / 10] --dense 512 relu--> --dense 512 relu-->
    --dense P+M--> parameters and measurements (de-standardised)

With --members K, K such MLPs are trained from different initialisations on the same
features and the exported graph outputs their mean.

The loss is L1 on the standardised parameters plus L1 on the measurement errors they cause,
through a linear parameter-to-measurement map fitted on the training set (so parameters
that move the bust, waist or hip count for more than those that barely show).

A second head predicts the tailoring measurements themselves (cm, all but the height, which
the user types): the linear map explains the bust only to about 3.8 cm, so the parameters
alone cannot be trained to the bust's precision. The pipeline builds the body from the
parameters and then moves its local girth changes until the body measures what this head
predicted (`photo/refine.rs`).

Only numpy and onnx are needed (no deep-learning framework): the MLP is trained with Adam
and mini-batches, with early stopping on a validation split.

Usage: train.py --data DIR [--data DIR ...] [--out models/shape_regressor.onnx] [--epochs 200]
                [--seed 1] [--eval HELD_OUT_DIR]
"""

import argparse
import json
import os
import sys
import time

import numpy as np


def load(data_dir):
    meta = json.load(open(os.path.join(data_dir, "meta.json")))
    front = np.load(os.path.join(data_dir, "front.npy"), mmap_mode="r")
    side = np.load(os.path.join(data_dir, "side.npy"), mmap_mode="r")
    height = np.load(os.path.join(data_dir, "height.npy"))
    params = np.load(os.path.join(data_dir, "params.npy"))
    meas = np.load(os.path.join(data_dir, "measurements.npy"))
    return meta, front, side, height, params, meas


def load_all(dirs):
    """Loads and concatenates data sets rendered with the same grid and parameters."""
    parts = [load(d) for d in dirs]
    meta = parts[0][0]
    for d, part in zip(dirs, parts):
        if part[0].get("parameter_names") != meta.get("parameter_names") or part[0].get("grid") != meta.get("grid"):
            sys.exit(f"{d} was rendered with other parameters or another grid than {dirs[0]}")
    if len(parts) > 1:
        meta = dict(meta, count=sum(p[0]["count"] for p in parts), sets=[p[0] for p in parts])
    cat = lambda k: np.concatenate([np.asarray(p[k]) for p in parts], axis=0)
    return (meta,) + tuple(cat(k) for k in range(1, 6))


def flatten(front, side):
    n = front.shape[0]
    return np.concatenate([front.reshape(n, -1), side.reshape(n, -1)], axis=1).astype(np.float32)


# Central column bands of the front view (half-widths in cells) whose row sums give the
# torso's width without the arms at most levels.
BANDS = (8, 12, 16)


def profiles(front, side):
    """Row sums of the silhouettes: the width of every level (front view, whole and within
    the central bands) and its depth (side view). A fixed linear map, repeated in the ONNX
    graph."""
    n, _, rows, cols = front.shape
    centre = cols // 2
    parts = [front.sum(axis=3).reshape(n, rows), side.sum(axis=3).reshape(n, rows)]
    for half in BANDS:
        parts.append(front[:, :, :, centre - half : centre + half].sum(axis=3).reshape(n, rows))
    return np.concatenate(parts, axis=1).astype(np.float32)


def pca(centred, k, rng, oversample=40, power_iterations=3):
    """Top-k principal directions of the rows of `centred` by randomised SVD (Halko et al.
    2011), and the share of the variance they explain."""
    omega = rng.standard_normal((centred.shape[1], k + oversample)).astype(np.float32)
    y = centred @ omega
    for _ in range(power_iterations):
        q, _ = np.linalg.qr(y)
        y = centred @ (centred.T @ q)
    q, _ = np.linalg.qr(y)
    b = q.T @ centred
    _, s, vt = np.linalg.svd(b, full_matrices=False)
    total = float((centred.astype(np.float64) ** 2).sum())
    explained = float((s[:k].astype(np.float64) ** 2).sum() / total)
    return vt[:k].T.astype(np.float32), explained


class Adam:
    def __init__(self, shapes, lr):
        self.m = [np.zeros(s, np.float32) for s in shapes]
        self.v = [np.zeros(s, np.float32) for s in shapes]
        self.t = 0
        self.lr = lr

    def step(self, params, grads):
        self.t += 1
        b1, b2, eps = 0.9, 0.999, 1e-8
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            mh = m / (1 - b1**self.t)
            vh = v / (1 - b2**self.t)
            p -= self.lr * mh / (np.sqrt(vh) + eps)
            # Moments of units that stopped receiving gradient decay towards zero through
            # the subnormal range, where every float operation runs a hundred times slower:
            # flush them to zero.
            for a in (m, v, p):
                a[np.abs(a) < 1e-30] = 0.0


def forward(ws, x):
    acts = [x]
    h = x
    for i in range(0, len(ws) - 2, 2):
        h = np.maximum(h @ ws[i] + ws[i + 1], 0.0)
        acts.append(h)
    out = h @ ws[-2] + ws[-1]
    return out, acts


def backward(ws, acts, grad_out):
    grads = [None] * len(ws)
    g = grad_out
    for i in range(len(ws) - 2, -1, -2):
        a = acts[i // 2]
        grads[i] = a.T @ g
        grads[i + 1] = g.sum(axis=0)
        if i > 0:
            g = (g @ ws[i].T) * (a > 0)
    return grads


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, action="append", help="directory written by the shape_dataset example (repeat to train on several)")
    ap.add_argument("--eval", help="a held-out directory: report the measurement head's error on it")
    ap.add_argument("--members", type=int, default=1, help="MLPs trained from different initialisations; the model outputs their mean")
    ap.add_argument("--head-weight", type=float, default=1.0, help="weight of the measurement head's loss (per standard deviation)")
    ap.add_argument("--out", default="models/shape_regressor.onnx")
    ap.add_argument("--epochs", type=int, default=200)
    ap.add_argument("--components", type=int, default=256)
    ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cm-weight", type=float, default=0.5, help="weight of the measurement loss (per cm)")
    ap.add_argument("--decay", type=float, default=1e-4, help="L2 weight decay")
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)

    meta, front, side, height, params, meas = load_all(args.data)
    n = params.shape[0]
    grid_h, grid_w = front.shape[-2], front.shape[-1]
    print(f"{n} samples, grid {grid_h}x{grid_w}, {params.shape[1]} parameters", flush=True)
    x_img = flatten(front, side)
    order = rng.permutation(n)
    n_val = max(200, n // 10)
    val, train = order[:n_val], order[n_val:]

    # PCA on the training silhouettes.
    mean_img = x_img[train].mean(axis=0)
    basis, explained = pca(x_img[train] - mean_img, args.components, rng)
    k = basis.shape[1]
    print(f"PCA: {k} components explain {explained:.4%} of the variance", flush=True)
    comp = (x_img - mean_img) @ basis
    comp_scale = comp[train].std(axis=0) + 1e-6
    comp /= comp_scale
    prof = profiles(front, side)
    prof_mean = prof[train].mean(axis=0)
    prof_scale = prof[train].std(axis=0) + 1e-3
    prof = (prof - prof_mean) / prof_scale
    h_feat = ((height.reshape(-1, 1) - 170.0) / 10.0).astype(np.float32)
    x = np.concatenate([comp, prof, h_feat], axis=1).astype(np.float32)

    def features(f, s_, h):
        c = ((flatten(f, s_) - mean_img) @ basis) / comp_scale
        pr = (profiles(f, s_) - prof_mean) / prof_scale
        hf = ((h.reshape(-1, 1) - 170.0) / 10.0).astype(np.float32)
        return np.concatenate([c, pr, hf], axis=1).astype(np.float32)

    y_mean = params[train].mean(axis=0).astype(np.float32)
    y_std = (params[train].std(axis=0) + 1e-6).astype(np.float32)
    y = ((params - y_mean) / y_std).astype(np.float32)

    # A linear map from (standardised) parameters to tailoring measurements, fitted on the
    # training set, turns parameter errors into centimetres so the loss weighs each
    # parameter by how much it moves the measurements that matter.
    names_m = meta.get("measurement_names", [])
    keep = [i for i, name in enumerate(names_m) if name != "height"]
    head_names = [names_m[i] for i in keep]
    m_mean = meas[train][:, keep].mean(axis=0).astype(np.float32)
    m_std = (meas[train][:, keep].std(axis=0) + 1e-6).astype(np.float32)
    y_m = ((meas[:, keep] - m_mean) / m_std).astype(np.float32)
    n_p = y.shape[1]
    design = np.concatenate([y[train], np.ones((len(train), 1), np.float32)], axis=1)
    coef, *_ = np.linalg.lstsq(design, meas[train][:, keep], rcond=None)
    to_cm = coef[:-1].astype(np.float32)  # (P, M): cm per standard deviation of each parameter
    resid = meas[train][:, keep] - design @ coef
    print("linear parameter->measurement map, residual MAE (cm):", np.abs(resid).mean(axis=0).round(2).tolist(), flush=True)

    def train_member(member):
        """Trains one MLP from its own initialisation and batch order; returns the weights
        of its best validation epoch."""
        mrng = np.random.default_rng([args.seed, member])
        sizes = [x.shape[1], args.hidden, args.hidden, n_p + len(keep)]
        ws = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            ws.append((mrng.standard_normal((a, b)) * np.sqrt(2.0 / a)).astype(np.float32))
            ws.append(np.zeros(b, np.float32))
        opt = Adam([w.shape for w in ws], args.lr)
        best = (np.inf, None, -1)
        start = time.time()
        for epoch in range(args.epochs):
            if epoch in (int(args.epochs * 0.6), int(args.epochs * 0.85)):
                opt.lr *= 0.3
            perm = mrng.permutation(train)
            for b0 in range(0, len(perm), args.batch):
                idx = perm[b0 : b0 + args.batch]
                out, acts = forward(ws, x[idx])
                diff = out[:, :n_p] - y[idx]
                # L1 on the parameters plus L1 on the measurement errors they cause (cm), and
                # L1 on the measurement head.
                grad = np.empty_like(out)
                grad[:, :n_p] = np.sign(diff) + args.cm_weight * (np.sign(diff @ to_cm) @ to_cm.T)
                grad[:, n_p:] = args.head_weight * np.sign(out[:, n_p:] - y_m[idx])
                grads = backward(ws, acts, grad / len(idx))
                for i in range(0, len(ws), 2):
                    grads[i] += args.decay * ws[i]
                opt.step(ws, grads)
            val_out, _ = forward(ws, x[val])
            linearised = float(np.abs((val_out[:, :n_p] - y[val]) @ to_cm).mean())
            head = float((np.abs(val_out[:, n_p:] - y_m[val]) * m_std).mean())
            val_loss = linearised + head
            if val_loss < best[0]:
                best = (val_loss, [w.copy() for w in ws], epoch)
            if epoch % 10 == 0 or epoch == args.epochs - 1:
                print(f"member {member} epoch {epoch:4d}  val MAE (cm): parameters linearised {linearised:.3f}, head {head:.3f}  best sum {best[0]:.4f}@{best[2]}  {time.time() - start:.0f}s", flush=True)
            if epoch - best[2] > 40:
                print("early stop", flush=True)
                break
        return best

    members = [train_member(m) for m in range(args.members)]
    best = (float(np.mean([b[0] for b in members])), None, max(b[2] for b in members))

    def predict(features_):
        return np.mean([forward(b[1], features_)[0] for b in members], axis=0)

    val_out = predict(x[val])
    per_param = np.abs(val_out[:, :n_p] * y_std + y_mean - params[val]).mean(axis=0)
    names = meta.get("parameter_names", [str(i) for i in range(y.shape[1])])
    report = {name: float(v) for name, v in zip(names, per_param)}
    print("validation MAE per parameter:", json.dumps(report, indent=1), flush=True)
    head_val = np.abs(val_out[:, n_p:] * m_std + m_mean - meas[val][:, keep]).mean(axis=0)
    head_report = {name: float(v) for name, v in zip(head_names, head_val)}
    print("validation MAE of the measurement head (cm):", json.dumps(head_report, indent=1), flush=True)
    held_out = None
    if args.eval:
        _, hf, hs, hh, _, hm = load(args.eval)
        h_out = predict(features(hf, hs, hh))
        err = np.abs(h_out[:, n_p:] * m_std + m_mean - hm[:, keep])
        held_out = {name: {"mae_cm": float(e.mean()), "p95_cm": float(np.percentile(e, 95))} for name, e in zip(head_names, err.T)}
        print(f"held-out {args.eval}, measurement head:", json.dumps(held_out, indent=1), flush=True)

    export(args.out, meta, grid_h, grid_w, mean_img, basis, comp_scale, (prof_mean, prof_scale), [b[1] for b in members], (y_mean, y_std), (m_mean, m_std, head_names))
    info = {
        "samples": int(n),
        "validation_samples": int(n_val),
        "pca_components": int(k),
        "pca_explained_variance": explained,
        "hidden": args.hidden,
        "members": args.members,
        "epochs_run": int(best[2] + 1),
        "best_epoch": int(best[2]),
        "validation_linearised_measurement_mae_cm": best[0],
        "validation_mae_per_parameter": report,
        "validation_head_mae_cm": head_report,
        "held_out_head_mae_cm": held_out,
        "seed": args.seed,
        "data": meta,
    }
    with open(os.path.splitext(args.out)[0] + ".training.json", "w") as f:
        json.dump(info, f, indent=1)
    print(f"wrote {args.out}", flush=True)


def export(path, meta, grid_h, grid_w, mean_img, basis, comp_scale, prof_norm, members, y_norm, m_norm):
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    inits = []

    def const(name, array):
        inits.append(numpy_helper.from_array(np.asarray(array, dtype=np.float32), name))
        return name

    nodes = [
        helper.make_node("Flatten", ["front"], ["front_flat"], axis=1),
        helper.make_node("Flatten", ["side"], ["side_flat"], axis=1),
        helper.make_node("Concat", ["front_flat", "side_flat"], ["images"], axis=1),
        helper.make_node("Sub", ["images", const("pca_mean", mean_img)], ["centred"]),
        helper.make_node("MatMul", ["centred", const("pca_basis", basis)], ["components_raw"]),
        helper.make_node("Div", ["components_raw", const("pca_scale", comp_scale)], ["components"]),
        helper.make_node("Sub", ["height_cm", const("height_mean", [170.0])], ["h0"]),
        helper.make_node("Div", ["h0", const("height_scale", [10.0])], ["h1"]),
    ]
    # Row profiles: ReduceSum over the width axis (opset 13 takes the axes as an input).
    inits.append(numpy_helper.from_array(np.array([3], dtype=np.int64), "axis_w"))
    centre = grid_w // 2
    profile_names = []
    for view in ("front", "side"):
        nodes.append(helper.make_node("ReduceSum", [view, "axis_w"], [f"{view}_rows4"], keepdims=0))
        nodes.append(helper.make_node("Flatten", [f"{view}_rows4"], [f"{view}_rows"], axis=1))
        profile_names.append(f"{view}_rows")
    for half in BANDS:
        inits.append(numpy_helper.from_array(np.array([centre - half], dtype=np.int64), f"start{half}"))
        inits.append(numpy_helper.from_array(np.array([centre + half], dtype=np.int64), f"end{half}"))
        nodes.append(helper.make_node("Slice", ["front", f"start{half}", f"end{half}", "axis_w"], [f"band{half}"]))
        nodes.append(helper.make_node("ReduceSum", [f"band{half}", "axis_w"], [f"band{half}_rows4"], keepdims=0))
        nodes.append(helper.make_node("Flatten", [f"band{half}_rows4"], [f"band{half}_rows"], axis=1))
        profile_names.append(f"band{half}_rows")
    nodes += [
        helper.make_node("Concat", profile_names, ["profiles_raw"], axis=1),
        helper.make_node("Sub", ["profiles_raw", const("profile_mean", prof_norm[0])], ["profiles_c"]),
        helper.make_node("Div", ["profiles_c", const("profile_scale", prof_norm[1])], ["profiles"]),
        helper.make_node("Concat", ["components", "profiles", "h1"], ["features"], axis=1),
    ]
    (y_mean, y_std), (m_mean, m_std, head_names) = y_norm, m_norm
    n_params = int(y_mean.shape[0])
    outs = []
    for k, ws in enumerate(members):
        h = "features"
        for i in range(0, len(ws) - 2, 2):
            nodes.append(helper.make_node("Gemm", [h, const(f"m{k}_w{i}", ws[i]), const(f"m{k}_b{i}", ws[i + 1])], [f"m{k}_z{i}"]))
            nodes.append(helper.make_node("Relu", [f"m{k}_z{i}"], [f"m{k}_a{i}"]))
            h = f"m{k}_a{i}"
        nodes.append(helper.make_node("Gemm", [h, const(f"m{k}_w_out", ws[-2]), const(f"m{k}_b_out", ws[-1])], [f"m{k}_out"]))
        outs.append(f"m{k}_out")
    # The members' mean, then split into the parameters and the measurement head.
    nodes.append(helper.make_node("Sum", outs, ["out_sum"]))
    nodes.append(helper.make_node("Mul", ["out_sum", const("member_weight", [1.0 / len(members)])], ["out_std"]))
    inits.append(numpy_helper.from_array(np.array([0], dtype=np.int64), "split_start"))
    inits.append(numpy_helper.from_array(np.array([n_params], dtype=np.int64), "split_mid"))
    inits.append(numpy_helper.from_array(np.array([n_params + len(head_names)], dtype=np.int64), "split_end"))
    inits.append(numpy_helper.from_array(np.array([1], dtype=np.int64), "axis_features"))
    nodes.append(helper.make_node("Slice", ["out_std", "split_start", "split_mid", "axis_features"], ["y_std"]))
    nodes.append(helper.make_node("Slice", ["out_std", "split_mid", "split_end", "axis_features"], ["m_std"]))
    nodes.append(helper.make_node("Mul", ["y_std", const("y_scale", y_std)], ["y_scaled"]))
    nodes.append(helper.make_node("Add", ["y_scaled", const("y_mean", y_mean)], ["params"]))
    nodes.append(helper.make_node("Mul", ["m_std", const("m_scale", m_std)], ["m_scaled"]))
    nodes.append(helper.make_node("Add", ["m_scaled", const("m_mean", m_mean)], ["measurements"]))
    graph = helper.make_graph(
        nodes,
        "catwalk_shape_regressor",
        [
            helper.make_tensor_value_info("front", TensorProto.FLOAT, ["n", 1, grid_h, grid_w]),
            helper.make_tensor_value_info("side", TensorProto.FLOAT, ["n", 1, grid_h, grid_w]),
            helper.make_tensor_value_info("height_cm", TensorProto.FLOAT, ["n", 1]),
        ],
        [
            helper.make_tensor_value_info("params", TensorProto.FLOAT, ["n", n_params]),
            helper.make_tensor_value_info("measurements", TensorProto.FLOAT, ["n", len(head_names)]),
        ],
        initializer=inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="catwalk")
    model.ir_version = 8
    model.metadata_props.append(onnx.StringStringEntryProto(key="parameter_names", value=json.dumps(meta.get("parameter_names", []))))
    model.metadata_props.append(onnx.StringStringEntryProto(key="grid", value=f"{grid_h}x{grid_w}"))
    model.metadata_props.append(onnx.StringStringEntryProto(key="measurement_names", value=json.dumps(head_names)))
    onnx.checker.check_model(model)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    onnx.save(model, path)


if __name__ == "__main__":
    sys.exit(main())
