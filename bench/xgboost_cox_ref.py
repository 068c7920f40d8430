"""XGBoost survival:cox on the bundled Telco split: the reference C-index of churnkit's survival families.

The split is bench/make_split.py's (stratified 80/20 on Churn, random_state 42), rebuilt from
tests/fixtures/telco-test-ids.json. Duration `tenure`, event `Churn = Yes`; features: every column but
customerID, Churn, tenure and TotalCharges (which grows with tenure), text columns one-hot encoded (every
level), numbers as they are. XGBoost survival:cox labels: the duration, negated when censored.
Harrell's C-index as scikit-survival's concordance_index_censored: an event row is comparable with every
row of a later duration and with rows censored at its own; ties in risk (within 1e-8) count 1/2.

Usage: /usr/bin/python3 bench/xgboost_cox_ref.py [OUT.json]
(numpy and Debian's python3-xgboost only). Prints one JSON line {c_index, ...}; writes the test rows'
customerIDs and XGBoost's margins to OUT.json (default bench/out/xgboost-cox-telco.json), which
bench/survival-telco.mjs scores with churnkit's own concordanceIndex too.
"""
import csv
import json
import os
import sys
import time

import numpy as np
import xgboost as xgb

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def telco_matrix():
    """The Telco split as XGBoost sees it: X (one-hot), names, durations, events, test mask, customerIDs."""
    with open(os.path.join(root, "data", "telco-customer-churn.csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    col = {name: j for j, name in enumerate(header)}
    with open(os.path.join(root, "tests", "fixtures", "telco-test-ids.json")) as f:
        test_ids = set(json.load(f))
    features = [c for c in header if c not in ("customerID", "Churn", "tenure", "TotalCharges")]
    numeric = [c for c in features if all(r[col[c]].strip() != "" and r[col[c]].replace(".", "", 1).isdigit() for r in body)]
    categorical = [c for c in features if c not in numeric]
    is_test = np.array([r[col["customerID"]] in test_ids for r in body])
    levels = {c: sorted({r[col[c]] for r, t in zip(body, is_test) if not t}) for c in categorical}
    names = numeric + [f"{c}={v}" for c in categorical for v in levels[c]]
    X = np.zeros((len(body), len(names)))
    for i, r in enumerate(body):
        k = 0
        for c in numeric:
            X[i, k] = float(r[col[c]])
            k += 1
        for c in categorical:
            for v in levels[c]:
                X[i, k] = 1.0 if r[col[c]] == v else 0.0
                k += 1
    time_ = np.array([float(r[col["tenure"]]) for r in body])
    event = np.array([r[col["Churn"]] == "Yes" for r in body])
    ids = [r[col["customerID"]] for r in body]
    return X, names, time_, event, is_test, ids


def c_index(t, e, risk, tol=1e-8):
    """Harrell's C as scikit-survival's concordance_index_censored (O(n^2), vectorised per event row)."""
    num = 0.0
    den = 0
    for i in np.flatnonzero(e):
        comparable = (t > t[i]) | ((t == t[i]) & ~e)
        r = risk[comparable]
        den += r.size
        num += np.sum(risk[i] - r > tol) + 0.5 * np.sum(np.abs(risk[i] - r) <= tol)
    return num / den


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "bench", "out", "xgboost-cox-telco.json")
    X, names, time_, event, is_test, all_ids = telco_matrix()
    tr, te = ~is_test, is_test
    label = np.where(event, time_, -time_)
    params = {"objective": "survival:cox", "max_depth": 3, "eta": 0.05, "seed": 0, "nthread": 1}
    results = {}
    for method in ("hist", "exact"):
        dtrain = xgb.DMatrix(X[tr], label=label[tr], feature_names=names)
        dtest = xgb.DMatrix(X[te], feature_names=names)
        t0 = time.process_time()
        booster = xgb.train({**params, "tree_method": method}, dtrain, num_boost_round=300)
        cpu = time.process_time() - t0
        margin = booster.predict(dtest, output_margin=True)
        results[method] = {"c_index": c_index(time_[te], event[te], margin), "fit_cpu_s": cpu, "margin": margin}
    ids = [i for i, t in zip(all_ids, is_test) if t]
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w") as f:
        json.dump({"ids": ids, **{m: [float(v) for v in r["margin"]] for m, r in results.items()}}, f)
    print(
        json.dumps(
            {
                "xgboost": xgb.__version__,
                "train_rows": int(tr.sum()),
                "test_rows": int(te.sum()),
                "model_columns": len(names),
                **{f"c_index_{m}": round(r["c_index"], 4) for m, r in results.items()},
                **{f"fit_cpu_s_{m}": round(r["fit_cpu_s"], 2) for m, r in results.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
