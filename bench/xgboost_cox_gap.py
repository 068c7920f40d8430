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
   - "efron": the derivative of Efron's partial likelihood (diagonal hessian), as churnkit's ties: "efron" (its
     trees' leaf values go to bench/out/xgboost-cox-efron-leaves.json, which bench/survival-gap.mjs compares);
   - two Efron variants in which the rows censored at a tie's duration leave the risk set over its events too
     (XGBoost's row-order gradient does that on average: a censored row sees the tie's events sorted before it).
3. Trains the built-in survival:cox on the same training rows in 7 other (seeded) orders: its gradient depends on
   where the sort puts each row within a tie, so its C-index moves with the file's row order.

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


def tied(t, e, efron, censored=None):
    """Gradient and diagonal hessian of the negative Breslow or Efron log partial likelihood.

    `censored(l, d)`: the weight of a row censored within a tie of d events in the l-th denominator (default 1: at
    risk for every event of its duration, the usual convention). Other weights model censoring spread over the
    interval a coarse duration stands for, as Efron's weights spread the tied events.
    """
    times, group = np.unique(t, return_inverse=True)
    ng = len(times)
    ev = e.astype(bool)
    d = np.bincount(group, weights=e.astype(float), minlength=ng)

    def grad(margin):
        ex = np.exp(margin - margin.max())
        tot = np.bincount(group, weights=ex, minlength=ng)
        tev = np.bincount(group, weights=ex * ev, minlength=ng)
        later = np.concatenate([np.cumsum(tot[::-1])[::-1][1:], [0.0]])  # rows of later durations
        tc = tot - tev
        R = np.zeros(ng)  # sum_l 1/D_l (weight 1: rows of later durations)
        Q = np.zeros(ng)
        own_e = np.zeros((ng, 2))  # sum_l w/D_l, sum_l w^2/D_l^2 for the tie's events
        own_c = np.zeros((ng, 2))  # the same for the rows censored at the tie's duration
        for g in np.flatnonzero(d):
            dg = int(d[g])
            l = np.arange(dg)
            we = 1 - l / dg if efron else np.ones(dg)
            wc = np.ones(dg) if censored is None else censored(l, dg)
            den = later[g] + we * tev[g] + wc * tc[g]
            R[g] = np.sum(1 / den)
            Q[g] = np.sum(1 / den**2)
            own_e[g] = np.sum(we / den), np.sum(we**2 / den**2)
            own_c[g] = np.sum(wc / den), np.sum(wc**2 / den**2)
        before_r = np.concatenate([[0.0], np.cumsum(R)[:-1]])[group]
        before_q = np.concatenate([[0.0], np.cumsum(Q)[:-1]])[group]
        own = np.where(ev[:, None], own_e[group], own_c[group])
        a = before_r + own[:, 0]
        q = before_q + own[:, 1]
        return ex * a - ev, ex * a - ex * ex * q

    return grad


def leaf_values(node):
    """The leaf values of one tree of XGBoost's JSON dump."""
    if "leaf" in node:
        return [node["leaf"]]
    return [v for child in node["children"] for v in leaf_values(child)]


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
        "efron, censored rows of a tie leaving as its events (1 - l/d)": tied(t, e, True, lambda l, d: 1 - l / d),
        "efron, censored rows of a tie uniform among its events ((d - l)/(d + 1))": tied(
            t, e, True, lambda l, d: (d - l) / (d + 1)
        ),
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
            if method == "exact" and name == "efron":
                # Each tree's leaf values, for bench/survival-gap.mjs to compare with churnkit's trees one by one.
                leaves = [sorted(leaf_values(json.loads(t))) for t in booster.get_dump(dump_format="json")]
                with open(os.path.join(root, "bench", "out", "xgboost-cox-efron-leaves.json"), "w") as f:
                    json.dump(leaves, f)
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
    rows = np.flatnonzero(tr)
    for method in ("exact", "hist"):
        cs = []
        for s in range(1, 8):
            idx = np.random.default_rng(s).permutation(rows)
            lab = np.where(event[idx], time_[idx], -time_[idx])
            p = {**params, "objective": "survival:cox", "tree_method": method}
            booster = xgb.train(p, xgb.DMatrix(X[idx], label=lab, feature_names=names), num_boost_round=300)
            m = booster.predict(xgb.DMatrix(X[te], feature_names=names), output_margin=True)
            cs.append((c_index(time_[te], event[te], m), strict_c(time_[te], event[te], m)))
        print(
            json.dumps(
                {
                    "xgboost": method,
                    "objective": "built-in survival:cox, training rows in 7 seeded orders",
                    "c_index": [round(c, 4) for c, _ in cs],
                    "c_index_strict": [round(c, 4) for _, c in cs],
                    "c_index_mean": round(float(np.mean([c for c, _ in cs])), 4),
                }
            )
        )


if __name__ == "__main__":
    main()
