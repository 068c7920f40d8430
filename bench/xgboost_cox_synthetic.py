"""XGBoost survival:cox on the simulated tied tables bench/survival-ties.mjs writes (it runs this script itself).

Each table is DIR/NAME.f64: float64, column-major, train rows then test rows for each column (num0..num9, cat,
time, event); DIR/manifest.json lists {name, train, test}. The category is one-hot encoded (every level), as
bench/xgboost_cox_ref.py does for Telco; settings as there (300 trees, depth 3, eta 0.05, seed 0, one thread).
Writes DIR/NAME.xgboost-METHOD.f64 (the test rows' margins) for METHOD exact and hist; prints the CPU seconds.

Usage: /usr/bin/python3 bench/xgboost_cox_synthetic.py DIR
"""
import json
import os
import sys
import time

import numpy as np
import xgboost as xgb

LEVELS = 6


def main():
    d = sys.argv[1]
    with open(os.path.join(d, "manifest.json")) as f:
        tables = json.load(f)
    cpu = {"exact": 0.0, "hist": 0.0}
    for t in tables:
        n = t["train"] + t["test"]
        cols = np.fromfile(os.path.join(d, t["name"] + ".f64"), dtype=np.float64).reshape(-1, n)
        num, cat, dur, event = cols[:10], cols[10], cols[11], cols[12]
        X = np.vstack([num, *[(cat == k).astype(float) for k in range(LEVELS)]]).T
        label = np.where(event > 0, dur, -dur)
        tr = slice(0, t["train"])
        te = slice(t["train"], n)
        for method in ("exact", "hist"):
            params = {"objective": "survival:cox", "max_depth": 3, "eta": 0.05, "seed": 0, "nthread": 1}
            t0 = time.process_time()
            booster = xgb.train({**params, "tree_method": method}, xgb.DMatrix(X[tr], label=label[tr]), 300)
            cpu[method] += time.process_time() - t0
            margin = booster.predict(xgb.DMatrix(X[te]), output_margin=True).astype(np.float64)
            margin.tofile(os.path.join(d, f"{t['name']}.xgboost-{method}.f64"))
    print(json.dumps({"xgboost": xgb.__version__, "tables": len(tables), "fit_cpu_s": {k: round(v, 2) for k, v in cpu.items()}}))


if __name__ == "__main__":
    main()
