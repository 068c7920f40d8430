"""Anchors of bench/categorical.mjs: scikit-learn 1.2.1 and XGBoost 1.7.4 on one train/test split (numpy + csv).

Usage: /usr/bin/python3 bench/categorical_ref.py TRAIN.csv TEST.csv TARGET POSITIVE DROP [MODEL,...]
MODEL: logreg | tree | forest | hgb | xgboost (default: all). Prints one JSON line per model:
{"model", "auc", "fit_s"}.

Preprocessing, the same for every anchor and the same vocabulary as churnkit's defaults: a column is numeric
when every non-blank training value parses as a number (blanks median-imputed; standardised for logreg);
otherwise categorical, keeping the levels seen at least 5 times (preprocess.min_category_count), at most 100
(preprocess.max_categories), the rest pooled into one "(other)" level; levels unseen in training are all-zero
in one-hot and missing for HGB. One-hot for logreg, tree (depth 6), forest (100 trees) and XGBoost (hist,
100 trees, depth 6); native categories (ordinal codes, categorical_features) for HistGradientBoosting.
"""
import csv
import json
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.tree import DecisionTreeClassifier

MAX_CATEGORIES = 100
MIN_CATEGORY_COUNT = 5


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def is_number(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def prepare(train_path, test_path, target, positive, drop):
    header, train = read(train_path)
    header2, test = read(test_path)
    assert header == header2, "train and test headers differ"
    ti = header.index(target)
    y_train = np.array([r[ti] == positive for r in train], dtype=int)
    y_test = np.array([r[ti] == positive for r in test], dtype=int)
    numeric, categorical = [], []
    for j, name in enumerate(header):
        if j == ti or name in drop:
            continue
        vals = [r[j] for r in train if r[j].strip() != ""]
        (numeric if vals and all(is_number(v) for v in vals) else categorical).append(j)

    def num_col(rows, j, fill):
        return np.array([float(r[j]) if r[j].strip() != "" else fill for r in rows])

    num_train, num_test = [], []
    for j in numeric:
        fill = float(np.median([float(r[j]) for r in train if r[j].strip() != ""]))
        num_train.append(num_col(train, j, fill))
        num_test.append(num_col(test, j, fill))
    vocab = []
    for j in categorical:
        counts = {}
        for r in train:
            counts[r[j]] = counts.get(r[j], 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        kept = [l for l, n in ranked if n >= MIN_CATEGORY_COUNT][:MAX_CATEGORIES] or [l for l, _ in ranked][:MAX_CATEGORIES]
        other = len(kept) < len(ranked)
        vocab.append((j, {l: i for i, l in enumerate(kept)}, other, set(counts)))

    def codes(rows, j, code, other, seen):
        # Pooled training levels go to "(other)"; levels never seen in training are unknown (-1).
        out = []
        for r in rows:
            v = r[j]
            out.append(code[v] if v in code else (len(code) if other and v in seen else -1))
        return np.array(out)

    cat_train = [codes(train, j, c, o, s) for j, c, o, s in vocab]
    cat_test = [codes(test, j, c, o, s) for j, c, o, s in vocab]
    widths = [len(c) + (1 if o else 0) for _, c, o, _ in vocab]
    return y_train, y_test, num_train, num_test, cat_train, cat_test, widths


def one_hot(codes, width):
    out = np.zeros((len(codes), width))
    ok = codes >= 0
    out[np.nonzero(ok)[0], codes[ok]] = 1
    return out


def design(num, cats, widths):
    blocks = [np.column_stack(num)] if num else []
    blocks += [one_hot(c, w) for c, w in zip(cats, widths)]
    return np.hstack(blocks)


def main():
    train_path, test_path, target, positive = sys.argv[1:5]
    drop = set(c for c in sys.argv[5].split(",") if c) if len(sys.argv) > 5 else set()
    models = sys.argv[6].split(",") if len(sys.argv) > 6 else ["logreg", "tree", "forest", "hgb", "xgboost"]
    y_train, y_test, num_train, num_test, cat_train, cat_test, widths = prepare(
        train_path, test_path, target, positive, drop
    )
    A_train = design(num_train, cat_train, widths)
    A_test = design(num_test, cat_test, widths)
    n_num = len(num_train)
    for model in models:
        Xtr, Xte = A_train, A_test
        if model == "logreg":
            mu = Xtr[:, :n_num].mean(axis=0)
            sd = Xtr[:, :n_num].std(axis=0)
            sd[sd == 0] = 1
            Xtr = np.hstack([(Xtr[:, :n_num] - mu) / sd, Xtr[:, n_num:]])
            Xte = np.hstack([(Xte[:, :n_num] - mu) / sd, Xte[:, n_num:]])
            est = LogisticRegression(max_iter=1000)
        elif model == "tree":
            est = DecisionTreeClassifier(max_depth=6, random_state=0)
        elif model == "forest":
            est = RandomForestClassifier(n_estimators=100, random_state=0)
        elif model == "hgb":
            # Native categories: ordinal codes, unknown levels as missing (NaN).
            cols = num_train + [np.where(c >= 0, c, np.nan).astype(float) for c in cat_train]
            Xtr = np.column_stack(cols)
            Xte = np.column_stack(num_test + [np.where(c >= 0, c, np.nan).astype(float) for c in cat_test])
            mask = [False] * n_num + [True] * len(cat_train)
            est = HistGradientBoostingClassifier(categorical_features=mask, random_state=0)
        elif model == "xgboost":
            from xgboost import XGBClassifier

            est = XGBClassifier(n_estimators=100, max_depth=6, tree_method="hist", random_state=0)
        else:
            raise SystemExit(f"unknown model {model}")
        t0 = time.process_time()
        est.fit(Xtr, y_train)
        fit_s = time.process_time() - t0
        p = est.predict_proba(Xte)[:, 1]
        print(json.dumps({"model": model, "auc": roc_auc_score(y_test, p), "fit_s": fit_s}), flush=True)


main()
