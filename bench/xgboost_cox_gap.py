"""What churnkit's gbdt and XGBoost survival:cox differ by on the Telco split, seen from XGBoost's side.

1. Writes XGBoost's exact input matrix (bench/xgboost_cox_ref.py's one-hot encoding, every level; numbers as
   they are) to bench/out/telco-cox-onehot.json, so that bench/survival-gap.mjs fits churnkit's gbdt on the very
   same columns.
2. Trains XGBoost (300 trees, depth 3, eta 0.05, as the reference) with custom objectives, to isolate what the
   Cox gradient's handling of tied durations is worth with XGBoost's own trees:
   - "xgboost order": XGBoost's survival:cox gradient transcribed (events of a tie added one row at a time in
     the stable sort's order; must reproduce the built-in objective's C-index, a check of the transcription);
   - "breslow": the derivative of Breslow's partial likelihood (every row of a tie sees the whole tie), as
     churnkit's coxGradients;
   - "efron": the derivative of Efron's partial likelihood (diagonal hessian), as churnkit's ties: "efron".

Usage: /usr/bin/python3 bench/xgboost_cox_gap.py   (numpy and Debian's python3-xgboost only)
Prints one JSON line per fit: C-index (scikit-survival's pairs) and the strict one (different durations only).
"""
import json
import os
import time

import numpy as np
import xgboost as xgb

from xgboost_cox_ref import c_index, root, telco_matrix


def strict_c(t, e, risk, tol=1e-8):
    """Harrell's C over pairs of an event and a strictly later duration only (lifelines' convention)."""
    num = 0.0
    den = 0
    for i in np.flatnonzero(e):
        r = risk[t > t[i]]
        den += r.size
        num += np.sum(risk[i] - r > tol) + 0.5 * np.sum(np.abs(risk[i] - r) <= tol)
    return num / den


def xgboost_order(t, e):
    """XGBoost 1.7's CoxRegression::GetGradient (src/objective/regression_obj.cu), transcribed."""
    order = np.argsort(t, kind="stable")

    def grad(margin):
        p = margin[order]
        ex = np.exp(p)
        g = np.empty_like(p)
        h = np.empty_like(p)
        s = ex.sum()
        acc = 0.0
        last_e = 0.0
        last_t = 0.0
        r = 0.0
        q = 0.0
        for k, i in enumerate(order):
            acc += last_e
            if last_t < t[i]:
                s -= acc
                acc = 0.0
            if e[i]:
                r += 1.0 / s
                q += 1.0 / (s * s)
            g[k] = ex[k] * r - e[i]
            h[k] = ex[k] * r - ex[k] * ex[k] * q
            last_t = t[i]
            last_e = ex[k]
        out_g = np.empty_like(g)
        out_h = np.empty_like(h)
        out_g[order] = g
        out_h[order] = h
        return out_g, out_h

    return grad


def tied(t, e, efron):
    """Gradient and diagonal hessian of the negative Breslow or Efron log partial likelihood."""
    times, group = np.unique(t, return_inverse=True)
    ng = len(times)
    d = np.bincount(group, weights=e.astype(float), minlength=ng)

    def grad(margin):
        ex = np.exp(margin - margin.max())
        tot = np.bincount(group, weights=ex, minlength=ng)
        tev = np.bincount(group, weights=ex * e, minlength=ng)
        s0 = np.cumsum(tot[::-1])[::-1]  # risk set sum of each duration
        a = np.zeros(ng)  # sum_l 1/D_l
        b = np.zeros(ng)  # sum_l (l/d)/D_l
        a2 = np.zeros(ng)  # sum_l 1/D_l^2
        b2 = np.zeros(ng)  # sum_l (l/d)/D_l^2
        c2 = np.zeros(ng)  # sum_l (l/d)^2/D_l^2
        for g in np.flatnonzero(d):
            dg = int(d[g])
            f = np.arange(dg) / dg if efron else np.zeros(dg)
            den = s0[g] - f * tev[g]
            a[g] = np.sum(1 / den)
            b[g] = np.sum(f / den)
            a2[g] = np.sum(1 / den**2)
            b2[g] = np.sum(f / den**2)
            c2[g] = np.sum(f * f / den**2)
        ra = np.cumsum(a)[group]
        qa = np.cumsum(a2)[group]
        own = e.astype(float)
        g_ = ex * (ra - own * b[group]) - own
        h_ = ex * (ra - own * b[group]) - ex * ex * (qa - own * (2 * b2[group] - c2[group]))
        return g_, h_

    return grad


def main():
    X, names, time_, event, is_test, ids = telco_matrix()
    out = os.path.join(root, "bench", "out", "telco-cox-onehot.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(
            {
                "names": names,
                "columns": [[float(v) for v in X[:, j]] for j in range(X.shape[1])],
                "time": [float(v) for v in time_],
                "event": [int(v) for v in event],
                "is_test": [bool(v) for v in is_test],
                "ids": ids,
            },
            f,
        )
    tr, te = ~is_test, is_test
    t, e = time_[tr], event[tr]
    label = np.where(e, t, -t)
    params = {"max_depth": 3, "eta": 0.05, "seed": 0, "nthread": 1, "disable_default_eval_metric": 1}
    objectives = {
        "built-in survival:cox": None,
        "xgboost order (transcribed)": xgboost_order(t, e),
        "breslow": tied(t, e, efron=False),
        "efron": tied(t, e, efron=True),
    }
    for method in ("exact", "hist"):
        for name, fobj in objectives.items():
            dtrain = xgb.DMatrix(X[tr], label=label, feature_names=names)
            dtest = xgb.DMatrix(X[te], feature_names=names)
            p = {**params, "tree_method": method}
            if fobj is None:
                p["objective"] = "survival:cox"
            t0 = time.process_time()
            booster = xgb.train(p, dtrain, num_boost_round=300, obj=None if fobj is None else lambda m, _d, f=fobj: f(m))
            cpu = time.process_time() - t0
            m = booster.predict(dtest, output_margin=True)
            print(
                json.dumps(
                    {
                        "xgboost": method,
                        "objective": name,
                        "c_index": round(c_index(time_[te], event[te], m), 4),
                        "c_index_strict": round(strict_c(time_[te], event[te], m), 4),
                        "fit_cpu_s": round(cpu, 2),
                    }
                )
            )


if __name__ == "__main__":
    main()
