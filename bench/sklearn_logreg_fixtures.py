"""Frozen scikit-learn reference numbers for churnkit's logreg (run via sklearn_ref.py fixtures).

Writes OUT_DIR/sklearn-logreg.json: seeded data sets (rounded to 3 decimals, so that both sides parse the very
same doubles), and per case the parameters and LogisticRegression's coefficients from two solvers:
- lbfgs (penalty l2, the same C and class_weight), run to a tight tolerance (tol 1e-10, max_iter 10000);
- newton-cholesky (tol 1e-12), scikit-learn's exact-Hessian Newton, which reaches the optimum in floating point;
the objective each reaches, and how far apart the two are (max |difference| over coefficients and intercept): lbfgs
stops on its fixed relative-decrease test (ftol 64·eps) before tol, up to 0.08 away on the one-hot data at C = 100.
The data sets are the shapes churnkit's logreg meets: narrow real-valued columns, standardised numbers with one-hot
categories (every level kept, so the levels are collinear with the intercept, as churnkit encodes them), and a
moderately wide table (more columns than rows), where churnkit's solver: auto picks newton-cg.
Regenerating gives byte-identical JSON (seeded data, deterministic fits).
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression


def labels(rng, logit):
    return (rng.random(len(logit)) < 1 / (1 + np.exp(-logit))).astype(int)


def narrow(n, seed):
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(n, 6)), 3)
    return X, labels(rng, 0.4 + X @ np.array([1.2, -0.8, 0.5, 0.0, 0.3, -1.5]))


def onehot(n, seed):
    """3 standardised numbers, then one 0/1 column per level of a 4-level and a 6-level category (skewed)."""
    rng = np.random.default_rng(seed)
    num = rng.normal(size=(n, 3))
    num = np.round((num - num.mean(axis=0)) / num.std(axis=0), 3)
    a = rng.choice(4, size=n, p=[0.4, 0.3, 0.2, 0.1])
    b = rng.choice(6, size=n, p=[0.3, 0.25, 0.2, 0.12, 0.08, 0.05])
    X = np.column_stack([num, np.eye(4)[a], np.eye(6)[b]])
    logit = -0.5 + num @ np.array([0.9, -0.6, 0.2]) + np.array([0.8, 0.0, -0.4, 1.0])[a] + np.array([-1, 0.5, 0, 0.3, -0.6, 1.5])[b]
    return X, labels(rng, logit)


def wide(n, p, seed):
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(n, p)), 3)
    beta = np.zeros(p)
    beta[:15] = rng.normal(size=15)
    return X, labels(rng, -0.2 + X @ beta)


def objective(X, y, C, class_weight, coef, intercept):
    """½‖coef‖² + C · Σ_i (class weight of row i) · logloss_i: what both libraries minimise."""
    w = np.ones(len(y))
    if class_weight == "balanced":
        w = np.where(y == 1, len(y) / (2 * y.sum()), len(y) / (2 * (len(y) - y.sum())))
    m = np.where(y == 1, 1, -1) * (X @ np.array(coef) + intercept)
    return float(0.5 * np.dot(coef, coef) + C * np.sum(w * np.logaddexp(0, -m)))


def fit(X, y, solver, C, class_weight):
    tol = 1e-12 if solver == "newton-cholesky" else 1e-10
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lbfgs may stop on its ftol before tol, which the diff below reports
        m = LogisticRegression(penalty="l2", C=C, class_weight=class_weight, solver=solver, tol=tol, max_iter=10000).fit(X, y)
    coef, intercept = m.coef_[0].tolist(), float(m.intercept_[0])
    f = objective(X, y, C, class_weight, coef, intercept)
    return {"coef": coef, "intercept": intercept, "n_iter": int(m.n_iter_[0]), "objective": f}


def write_logreg_fixtures(out_dir):
    data = {"narrow": narrow(400, 21), "onehot": onehot(600, 22), "wide": wide(80, 300, 23)}
    cases = []
    for name, C, cw in [
        ("narrow", 1.0, None),
        ("narrow", 0.05, "balanced"),
        ("onehot", 1.0, None),
        ("onehot", 100.0, "balanced"),
        ("wide", 1.0, None),
        ("wide", 0.1, "balanced"),
    ]:
        X, y = data[name]
        lb = fit(X, y, "lbfgs", C, cw)
        nc = fit(X, y, "newton-cholesky", C, cw)
        diff = max(np.max(np.abs(np.array(lb["coef"]) - nc["coef"])), abs(lb["intercept"] - nc["intercept"]))
        cases.append(
            {"data": name, "params": {"C": C, "class_weight": cw}, "lbfgs": lb, "newton_cholesky": nc, "lbfgs_vs_newton": float(diff)}
        )
    fixture = {
        "about": "scikit-learn reference numbers, written by /usr/bin/python3 bench/sklearn_ref.py fixtures; do not edit",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "data": {k: {"X": X.tolist(), "y": [int(v) for v in y]} for k, (X, y) in data.items()},
        "cases": cases,
    }
    path = os.path.join(out_dir, "sklearn-logreg.json")
    with open(path, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")
