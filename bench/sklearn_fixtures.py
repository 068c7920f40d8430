"""Frozen scikit-learn reference numbers for churnkit's tree, forest and gbdt (run via sklearn_ref.py).

/usr/bin/python3 bench/sklearn_ref.py fixtures [OUT_DIR] writes OUT_DIR/sklearn-trees.json: the data sets
(generated here with a seeded numpy RNG and frozen with the numbers, so both sides read the very same
values) and, per case, the parameters on both sides and scikit-learn's outputs. The cases are the ones
where the algorithms must agree:

- tree: DecisionTreeClassifier on features that are permutations of integers (exact in float32, which
  scikit-learn's trees use, and no tied values), depth and leaf size limits that keep nodes large enough
  for gains not to tie: the whole structure (feature, threshold, rows per node) and leaf probabilities.
- forest without bootstrap and with every feature at each split: each tree is the single tree, so the
  forest's probabilities are the tree's. With bootstrap (random by design on both sides, with different
  generators): the test AUC of 20 scikit-learn seeds, mean and standard deviation, for a tolerance; and a
  1000-tree forest's probabilities with how far other seeds' forests land from them.
- hgb: HistGradientBoostingClassifier with the same max_bins, learning rate, l2, leaf limits and no early
  stopping, on real values (with and without missing ones) and with a native categorical feature: every
  tree's structure (thresholds or category sets, missing directions, rows), leaf values, and the raw
  scores on the training and test rows.
Regenerating gives byte-identical JSON (seeded data, deterministic fits).
"""
import json
import os

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.tree import DecisionTreeClassifier


def labels(rng, logit):
    return (rng.random(len(logit)) < 1 / (1 + np.exp(-logit))).astype(int)


def integer_data(n_train, n_test, seed):
    """4 features, each a permutation of 0..n-1 (train and test drawn together), a noisy logistic rule."""
    rng = np.random.default_rng(seed)
    n = n_train + n_test
    X = np.stack([rng.permutation(n) for _ in range(4)], axis=1).astype(float)
    z = (X - n / 2) / (n / 4)
    y = labels(rng, 1.5 * z[:, 0] - 1.0 * z[:, 1] + 0.8 * z[:, 0] * z[:, 2] + 0.3 * z[:, 3])
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def real_data(n_train, n_test, seed, missing=0.0):
    """4 real-valued features (optionally NaN in feature 2), a noisy rule with a threshold and an interaction."""
    rng = np.random.default_rng(seed)
    n = n_train + n_test
    X = rng.normal(size=(n, 4))
    logit = 1.2 * X[:, 0] - 0.8 * (X[:, 1] > 0.3) + 0.9 * X[:, 2] * X[:, 3] - 0.5
    if missing:
        gone = rng.random(n) < missing
        logit = np.where(gone, logit + 1.0, logit)
        X[gone, 2] = np.nan
    y = labels(rng, logit)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def categorical_data(n_train, n_test, seed):
    """3 real-valued features and a category code 0..5 (column 3), each level with its own churn effect."""
    rng = np.random.default_rng(seed)
    n = n_train + n_test
    X = rng.normal(size=(n, 3))
    # Levels of very different sizes, a rare one with a strong effect: the smoothing of the split
    # order (G / (H + 10)) then decides where it goes.
    c = rng.choice(6, size=n, p=[0.3, 0.25, 0.2, 0.12, 0.08, 0.05])
    y = labels(rng, 1.0 * X[:, 0] - 0.6 * X[:, 1] + np.array([-1.0, 0.6, 0.0, -0.5, 0.4, 2.0])[c] - 0.3)
    X = np.column_stack([X, c]).astype(float)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def data_json(X, y, Xt, yt):
    nan = lambda a: [[None if np.isnan(v) else float(v) for v in row] for row in a]
    return {"X": nan(X), "y": [int(v) for v in y], "X_test": nan(Xt), "y_test": [int(v) for v in yt]}


def cart_nodes(t, i=0):
    """A fitted sklearn tree_ as nested nodes (rows and weighted rows); leaves carry the positive-class probability."""
    v = t.value[i][0]
    count = {"count": int(t.n_node_samples[i]), "weight": float(t.weighted_n_node_samples[i])}
    if t.children_left[i] == -1:
        return {**count, "proba": float(v[1] / v.sum())}
    return {
        "feature": int(t.feature[i]),
        "threshold": float(t.threshold[i]),
        **count,
        "left": cart_nodes(t, t.children_left[i]),
        "right": cart_nodes(t, t.children_right[i]),
    }


def hgb_nodes(predictor, i=0):
    """One HGB predictor as nested nodes; leaves carry the raw-score increment, categorical splits
    the category codes (0..31) that go left instead of a threshold."""
    nd = predictor.nodes[i]
    if nd["is_leaf"]:
        return {"count": int(nd["count"]), "value": float(nd["value"])}
    if nd["is_categorical"]:
        bits = predictor.raw_left_cat_bitsets[nd["bitset_idx"]]
        split = {"categories": [k for k in range(32) if (int(bits[0]) >> k) & 1]}
    else:
        split = {"threshold": float(nd["num_threshold"])}
    return {
        "feature": int(nd["feature_idx"]),
        **split,
        "missing_left": bool(nd["missing_go_to_left"]),
        "count": int(nd["count"]),
        "left": hgb_nodes(predictor, nd["left"]),
        "right": hgb_nodes(predictor, nd["right"]),
    }


def tree_cases(d):
    X, y, Xt = np.array(d["X"]), np.array(d["y"]), np.array(d["X_test"])
    out = []
    for params in [
        {"criterion": "gini", "max_depth": 4, "min_samples_leaf": 5},
        {"criterion": "entropy", "max_depth": 4, "min_samples_leaf": 5},
        {"criterion": "gini", "max_depth": 3, "min_samples_leaf": 8, "class_weight": "balanced"},
    ]:
        m = DecisionTreeClassifier(random_state=0, **params).fit(X, y)
        out.append({"params": params, "root": cart_nodes(m.tree_), "proba_test": m.predict_proba(Xt)[:, 1].tolist()})
    return out


def forest_cases(d):
    X, y, Xt, yt = (np.array(d[k]) for k in ("X", "y", "X_test", "y_test"))
    same = {"max_depth": 4, "min_samples_leaf": 5}
    rf = RandomForestClassifier(n_estimators=5, bootstrap=False, max_features=None, random_state=0, **same).fit(X, y)
    tree = DecisionTreeClassifier(random_state=0, **same).fit(X, y)
    # Every tree of the forest is the single tree (the mean differs from it by summation rounding only).
    assert all(np.array_equal(e.predict_proba(Xt), tree.predict_proba(Xt)) for e in rf.estimators_)
    boot = {"n_estimators": 100, "min_samples_leaf": 5, "max_features": "sqrt"}
    aucs = [
        roc_auc_score(yt, RandomForestClassifier(random_state=s, **boot).fit(X, y).predict_proba(Xt)[:, 1])
        for s in range(20)
    ]
    # Large forests converge to the same function (the mean tree over bootstrap and feature draws):
    # the probabilities of a 1000-tree forest, and how far (mean |difference| over the test rows)
    # forests of other seeds land from it, which is what two equal algorithms differ by.
    big = {"n_estimators": 1000, "min_samples_leaf": 5, "max_features": "sqrt"}
    ref = RandomForestClassifier(random_state=0, **big).fit(X, y).predict_proba(Xt)[:, 1]
    null = [
        float(np.abs(RandomForestClassifier(random_state=s, **big).fit(X, y).predict_proba(Xt)[:, 1] - ref).mean())
        for s in range(1, 5)
    ]
    return {
        "no_bootstrap": {"params": {"n_estimators": 5, **same}, "proba_test": rf.predict_proba(Xt)[:, 1].tolist()},
        "bootstrap": {"params": boot, "auc_mean": float(np.mean(aucs)), "auc_std": float(np.std(aucs, ddof=1))},
        "converged": {"params": big, "proba_test": ref.tolist(), "seed_mean_abs_diff": null},
    }


def hgb_cases(data):
    out = []
    for name, params in [
        ("real", {"max_iter": 20, "learning_rate": 0.1, "max_leaf_nodes": 8, "min_samples_leaf": 10, "l2_regularization": 0.0, "max_bins": 255}),
        ("real", {"max_iter": 15, "learning_rate": 0.3, "max_leaf_nodes": 6, "min_samples_leaf": 15, "l2_regularization": 1.5, "max_bins": 16}),
        ("missing", {"max_iter": 15, "learning_rate": 0.2, "max_leaf_nodes": 8, "min_samples_leaf": 10, "l2_regularization": 0.5, "max_bins": 32}),
        ("categorical", {"max_iter": 15, "learning_rate": 0.2, "max_leaf_nodes": 6, "min_samples_leaf": 10, "l2_regularization": 0.0, "max_bins": 64}),
    ]:
        d = data[name]
        X, y, Xt = np.array(d["X"], dtype=float), np.array(d["y"]), np.array(d["X_test"], dtype=float)
        cats = [3] if name == "categorical" else None
        m = HistGradientBoostingClassifier(early_stopping=False, random_state=0, categorical_features=cats, **params).fit(X, y)
        out.append(
            {
                "data": name,
                "params": params,
                "baseline": float(m._baseline_prediction.ravel()[0]),
                "categorical": cats or [],
                "trees": [hgb_nodes(p[0]) for p in m._predictors],
                "raw_train": m._raw_predict(X).ravel().tolist(),
                "raw_test": m._raw_predict(Xt).ravel().tolist(),
            }
        )
    return out


def write_fixtures(out_dir):
    data = {
        "integer": data_json(*integer_data(400, 200, 1)),
        "real": data_json(*real_data(500, 200, 2)),
        "missing": data_json(*real_data(500, 200, 3, missing=0.2)),
        "categorical": data_json(*categorical_data(500, 200, 4)),
    }
    fixture = {
        "about": "scikit-learn reference numbers, written by /usr/bin/python3 bench/sklearn_ref.py fixtures; do not edit",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "data": data,
        "tree": tree_cases(data["integer"]),
        "forest": forest_cases(data["integer"]),
        "hgb": hgb_cases(data),
    }
    path = os.path.join(out_dir, "sklearn-trees.json")
    with open(path, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")
