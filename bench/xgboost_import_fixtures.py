"""XGBoost models and XGBoost's own predictions, frozen for the tests of `churnkit import --from xgboost`.

Run by hand with Debian's Python and python3-xgboost (1.7.4), never at test time (numpy and csv only, no pandas):

    /usr/bin/python3 bench/xgboost_import_fixtures.py [OUT_DIR]      (default tests/fixtures/xgboost)

Writes, per case, CASE.model.json (Booster.save_model, JSON) and CASE.expected.json: XGBoost's probabilities
(Booster.predict) and TreeSHAP contributions (pred_contribs) on rows of a CSV the tests score with churnkit.

- telco: the bundled Telco file, trained on the rows not in tests/fixtures/telco-test-ids.json (the project's
  stratified split), scored on the test rows. Yes/No columns are indicators ('i', 1/0) as churnkit reads
  them as booleans; text columns are native categories ('c', enable_categorical) coded in sorted order of their
  labels (the codes pandas gives a category column), as `churnkit import --data` assumes.
- missing: a seeded table with missing numbers, a missing category and a missing boolean (missing.csv). Its scored
  rows are the held-out rows plus rows whose numbers sit on XGBoost's float32 split conditions: the condition c
  itself, the doubles just below and above it, and the doubles around the midpoint between c and the float32 below
  it (XGBoost reads float32(x) < c: a double just under c rounds up to c and goes right). Partition-based
  categorical splits (max_cat_to_onehot 1), so category sets hold several levels.

Regenerating gives the same files (seeded data, one thread, deterministic hist).
"""
import csv
import json
import math
import os
import struct
import sys

import numpy as np
import xgboost as xgb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "fixtures", "xgboost")
MISSING = {"", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "none"}  # churnkit's missing tokens


def number(s):
    s = s.strip()
    return math.nan if s in MISSING else float(s)


def write_json(name, value):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(value, f, separators=(",", ":"))
        f.write("\n")


def train(X, y, names, types, params, rounds):
    d = xgb.DMatrix(X, label=y, feature_names=names, feature_types=types, enable_categorical=True)
    base = {"objective": "binary:logistic", "tree_method": "hist", "nthread": 1, "seed": 0}
    return xgb.train({**base, **params}, d, num_boost_round=rounds)


def scored(bst, X, names, types):
    d = xgb.DMatrix(X, feature_names=names, feature_types=types, enable_categorical=True)
    proba = bst.predict(d)
    margin = bst.predict(d, output_margin=True)
    contribs = bst.predict(d, pred_contribs=True)
    return proba, margin, contribs


def expected(name, ids, proba, margin, contribs, names, n_contribs):
    write_json(
        f"{name}.expected.json",
        {
            "xgboost": xgb.__version__,
            "ids": ids,
            # float32 values, written as the doubles they are
            "probability": [float(p) for p in proba],
            "margin": [float(m) for m in margin],
            # first rows only: per feature, then the bias (XGBoost's TreeSHAP, covers = sum_hessian)
            "contributions": {
                "features": names,
                "rows": [[float(v) for v in row] for row in contribs[:n_contribs]],
            },
        },
    )


def telco():
    with open(os.path.join(ROOT, "data", "telco-customer-churn.csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    with open(os.path.join(ROOT, "tests", "fixtures", "telco-test-ids.json")) as f:
        test_ids = set(json.load(f))
    names = [c for c in header if c not in ("customerID", "Churn")]
    cols = {c: [r[header.index(c)].strip() for r in body] for c in names}
    types, X = [], []
    for c in names:
        vals = cols[c]
        if all(v in MISSING or _is_number(v) for v in vals):
            types.append("float")
            X.append([number(v) for v in vals])
        elif set(vals) <= {"Yes", "No"}:
            types.append("i")
            X.append([1.0 if v == "Yes" else 0.0 for v in vals])
        else:
            levels = sorted(set(v for v in vals if v not in MISSING))
            types.append("c")
            X.append([float(levels.index(v)) if v not in MISSING else math.nan for v in vals])
    X = np.array(X, dtype=np.float64).T
    y = np.array([1.0 if r[header.index("Churn")] == "Yes" else 0.0 for r in body])
    ids = [r[header.index("customerID")] for r in body]
    test = np.array([i in test_ids for i in ids])
    bst = train(X[~test], y[~test], names, types, {"max_depth": 4, "eta": 0.3}, 40)
    bst.save_model(os.path.join(OUT, "telco.model.json"))
    proba, margin, contribs = scored(bst, X[test], names, types)
    expected("telco", [i for i in ids if i in test_ids], proba, margin, contribs, names, 25)


def _is_number(v):
    try:
        float(v)
        return True
    except ValueError:
        return False


def f32_below(c):
    """The float32 just below float32 c."""
    b = struct.unpack("<i", struct.pack("<f", c))[0]
    if c > 0:
        b -= 1
    elif c < 0:
        b += 1
    else:
        return -struct.unpack("<f", struct.pack("<i", 1))[0]
    return struct.unpack("<f", struct.pack("<i", b))[0]


def missing_table():
    rng = np.random.default_rng(15)
    n = 900
    age = np.round(rng.normal(45, 12, n), 1)
    spend = rng.gamma(2.0, 37.3, n) / 3.0  # many decimals: thresholds fall between close doubles
    visits = rng.poisson(4, n).astype(float)
    plans = ["basic", "max", "plus", "pro", "team"]
    plan = rng.choice(len(plans), size=n, p=[0.35, 0.1, 0.25, 0.2, 0.1]).astype(float)
    active = (rng.random(n) < 0.6).astype(float)
    logit = 0.04 * (age - 45) - 0.012 * (spend - 25) + np.array([0.8, -1.2, 0.1, -0.4, 0.5])[plan.astype(int)]
    logit += 0.6 * (visits < 2) - 0.7 * active
    for col, share in ((age, 0.12), (spend, 0.2), (plan, 0.1), (active, 0.08)):
        gone = rng.random(n) < share
        col[gone] = np.nan
    logit = np.where(np.isnan(spend), logit + 0.9, logit)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    names = ["age", "monthly spend", "visits", "plan", "active"]
    types = ["float", "float", "int", "c", "i"]
    X = np.column_stack([age, spend, visits, plan, active])
    train_rows = np.arange(n) < 700
    bst = train(X[train_rows], y[train_rows], names, types, {"max_depth": 3, "eta": 0.2, "max_cat_to_onehot": 1}, 30)
    path = os.path.join(OUT, "missing.model.json")
    bst.save_model(path)

    # Scored rows: the held-out ones, then copies of held-out rows moved onto split conditions.
    held = X[~train_rows]
    with open(path) as f:
        trees = json.load(f)["learner"]["gradient_booster"]["model"]["trees"]
    conds = set()
    for t in trees:
        for i, f_ in enumerate(t["split_indices"]):
            if t["left_children"][i] != -1 and types[f_] == "float":  # the columns written as full doubles
                conds.add((f_, t["split_conditions"][i]))
    probes = []
    for k, (f_, c) in enumerate(sorted(conds)):
        below = f32_below(c)
        mid = (below + c) / 2  # exact in double
        for x in (c, np.nextafter(c, -np.inf), np.nextafter(c, np.inf), mid, np.nextafter(mid, -np.inf),
                  np.nextafter(mid, np.inf), below):
            row = held[k % len(held)].copy()
            row[f_] = x
            probes.append(row)
    Xs = np.vstack([held, np.array(probes)])
    ids = [f"r{i}" for i in range(len(Xs))]
    proba, margin, contribs = scored(bst, Xs, names, types)
    expected("missing", ids, proba, margin, contribs, names, 40)

    def cell(j, v):
        if math.isnan(v):
            return ""
        if names[j] == "plan":
            return plans[int(v)]
        if names[j] == "active":
            return "true" if v == 1 else "false"
        if names[j] == "visits":
            return str(int(v))
        return repr(float(v))  # shortest text that reads back as the same double

    def write_csv(name, rows, ids_, labels):
        with open(os.path.join(OUT, name), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["id", *names, "churned"])
            for i, r in enumerate(rows):
                w.writerow([ids_[i], *(cell(j, v) for j, v in enumerate(r)), labels[i]])

    write_csv("missing.csv", Xs, ids, ["" for _ in ids])
    tr = X[train_rows]
    write_csv("missing-train.csv", tr, [f"t{i}" for i in range(len(tr))], ["yes" if v else "no" for v in y[train_rows]])
    print(f"missing: {len(conds)} split conditions probed, {len(Xs)} scored rows", file=sys.stderr)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    telco()
    missing_table()
    print(f"xgboost {xgb.__version__}: fixtures in {OUT}", file=sys.stderr)
