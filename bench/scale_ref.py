"""scikit-learn HistGradientBoostingClassifier and XGBoost (hist) on a churn-like CSV, for bench/scale.mjs.
Usage: /usr/bin/python3 bench/scale_ref.py TRAIN.csv TEST.csv THREADS_NOTE
Prints one JSON line per model: {model, fit_s, auc, predict_rows_s, peak_rss_mb}. Categorical columns
(cat*) are ordinal-coded; those with at most 250 levels are native categories for HGB, the rest numeric.
Loading is not timed; fit and predict are."""
import csv, json, resource, sys, time
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score

def load(path, vocab=None):
    """Columns as numpy arrays. With pandas (python3-pandas), read typed (categories as pandas categoricals), so 10M
    rows fit in memory; without it, the csv module (one Python string per cell: fine up to about 1M rows)."""
    try:
        import pandas as pd
    except ImportError:
        return load_csv_module(path, vocab)
    header = list(pd.read_csv(path, nrows=0).columns)
    dtype = {c: ("float64" if c.startswith("num") else "category") for c in header if c not in ("customer_id", "churn")}
    dtype["churn"] = "category"
    df = pd.read_csv(path, usecols=[c for c in header if c != "customer_id"], dtype=dtype, keep_default_na=False,
                     na_values={c: [""] for c in header if c.startswith("num")}, engine="c")
    vocab = vocab if vocab is not None else {}
    feats, is_cat = [], []
    y = None
    for name in df.columns:
        col = df[name]
        if name == "churn":
            y = (col == "Yes").to_numpy(dtype=np.int8)
            continue
        if name.startswith("num"):
            feats.append(col.to_numpy(dtype=float))
            is_cat.append(False)
        else:
            if name not in vocab:
                vocab[name] = sorted(col.cat.categories)  # the same sorted coding as the csv-module path
            codes = col.cat.set_categories(vocab[name]).cat.codes.to_numpy().astype(float)
            codes[codes < 0] = np.nan  # a level the training table lacks
            feats.append(codes)
            is_cat.append(len(vocab[name]) <= 250)
        del df[name]
    return np.column_stack(feats), y, np.array(is_cat), vocab

def load_csv_module(path, vocab=None):
    with open(path, newline="") as f:
        rd = csv.reader(f)
        header = next(rd)
        cols = [[] for _ in header]
        for row in rd:
            for j, v in enumerate(row):
                cols[j].append(v)
    vocab = vocab if vocab is not None else {}
    feats, names, is_cat = [], [], []
    y = None
    for name, col in zip(header, cols):
        if name == "customer_id":
            continue
        if name == "churn":
            y = np.array([v == "Yes" for v in col], dtype=np.int8)
            continue
        if name.startswith("num"):
            feats.append(np.array([float(v) if v != "" else np.nan for v in col]))
            is_cat.append(False)
        else:
            voc = vocab.setdefault(name, {})
            if not voc:
                for v in sorted(set(col)):
                    voc[v] = len(voc)
            feats.append(np.array([voc.get(v, np.nan) for v in col], dtype=float))
            is_cat.append(len(voc) <= 250)
        names.append(name)
    return np.column_stack(feats), y, np.array(is_cat), vocab

def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

Xtr, ytr, is_cat, vocab = load(sys.argv[1])
Xte, yte, _, _ = load(sys.argv[2], vocab)

m = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20,
                                   l2_regularization=0.0, max_bins=255, early_stopping=False,
                                   categorical_features=is_cat, random_state=0)
t0 = time.perf_counter(); m.fit(Xtr, ytr); fit = time.perf_counter() - t0
t0 = time.perf_counter(); p = m.predict_proba(Xte)[:, 1]; pr = time.perf_counter() - t0
print(json.dumps({"model": "sklearn-hgb", "fit_s": fit, "auc": roc_auc_score(yte, p),
                  "predict_rows_s": len(yte) / pr, "peak_rss_mb": rss_mb()}), flush=True)
try:
    import xgboost as xgb
    x = xgb.XGBClassifier(n_estimators=100, learning_rate=0.1, max_leaves=31, max_depth=0, grow_policy="lossguide",
                          tree_method="hist", max_bin=255, reg_lambda=0.0, min_child_weight=1e-3)
    t0 = time.perf_counter(); x.fit(Xtr, ytr); fit = time.perf_counter() - t0
    t0 = time.perf_counter(); p = x.predict_proba(Xte)[:, 1]; pr = time.perf_counter() - t0
    print(json.dumps({"model": "xgboost-hist", "fit_s": fit, "auc": roc_auc_score(yte, p),
                      "predict_rows_s": len(yte) / pr, "peak_rss_mb": rss_mb()}), flush=True)
except ImportError:
    print(json.dumps({"model": "xgboost-hist", "skipped": "python3-xgboost not installed"}), flush=True)
