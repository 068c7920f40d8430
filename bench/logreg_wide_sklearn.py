"""scikit-learn's side of bench/logreg-wide.mjs: fit LogisticRegression (lbfgs, penalty l2, same C) on the table
that the bench wrote, in the model matrix churnkit fits (numbers as they are, one 0/1 column per category level).

Usage: /usr/bin/python3 bench/logreg_wide_sklearn.py PREFIX N LEVELS C TOL MAX_ITER OUT.json
LEVELS: comma-separated level counts of the categorical columns ("" for none). Prints one JSON line
{fit_s, cpu_s, n_iter, peak_rss_mb}; writes the coefficients, then the intercept, to OUT.json.
"""
import json
import resource
import sys
import time
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression

prefix, n, levels, C, tol, max_iter, out = sys.argv[1:8]
n = int(n)
levels = [int(k) for k in levels.split(",") if k]
num = np.fromfile(prefix + ".num.f64", dtype=np.float64).reshape(-1, n)
codes = np.fromfile(prefix + ".codes.u8", dtype=np.uint8).reshape(-1, n) if levels else np.zeros((0, n), np.uint8)
y = np.fromfile(prefix + ".y.u8", dtype=np.uint8).astype(int)
# Row-major, as LogisticRegression wants it (it would copy another layout).
X = np.empty((n, num.shape[0] + sum(levels)))
X[:, : num.shape[0]] = num.T
at = num.shape[0]
for c, k in enumerate(levels):
    X[:, at : at + k] = codes[c][:, None] == np.arange(k)[None, :]
    at += k
del num, codes
est = LogisticRegression(penalty="l2", C=float(C), solver="lbfgs", tol=float(tol), max_iter=int(max_iter))
t0, c0 = time.perf_counter(), time.process_time()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    est.fit(X, y)
fit_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
with open(out, "w") as f:
    json.dump(est.coef_[0].tolist() + [float(est.intercept_[0])], f)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"fit_s": fit_s, "cpu_s": cpu_s, "n_iter": int(est.n_iter_[0]), "peak_rss_mb": rss}))
