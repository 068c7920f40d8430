"""Reference models from scikit-learn 1.2.1 and XGBoost 1.7.4 on churnkit's bench split.

Usage: /usr/bin/python3 bench/sklearn_ref.py TRAIN.csv TEST.csv TARGET POSITIVE MODEL [DROP,...]
MODEL: logreg | tree | forest | hgb | xgboost. Prints one JSON line:
{"model", "auc", "fit_s", "peak_rss_mb"}. Preprocessing is the usual scikit-learn pipeline:
numeric columns median-imputed (and standardised for logreg), text columns one-hot encoded.
Fit time is the estimator's fit alone, as churnkit's fit_s is.

Or: /usr/bin/python3 bench/sklearn_ref.py fixtures [OUT_DIR]  (default tests/fixtures)
writes the frozen reference numbers of tests/models/sklearn-reference.test.ts (see bench/sklearn_fixtures.py)
and of tests/models/sklearn-logreg.test.ts (see bench/sklearn_logreg_fixtures.py).
Run by hand when a reference changes, never at test time.
"""
import json
import resource
import sys
import time

# The fixtures need numpy and scikit-learn only (python3-sklearn), not pandas.
if len(sys.argv) > 1 and sys.argv[1] == "fixtures":
    import os

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from sklearn_fixtures import write_fixtures
    from sklearn_logreg_fixtures import write_logreg_fixtures

    out_dir = sys.argv[2] if len(sys.argv) > 2 else "tests/fixtures"
    write_fixtures(out_dir)
    write_logreg_fixtures(out_dir)
    sys.exit(0)


import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

train_path, test_path, target, positive, model = sys.argv[1:6]
drop = [c for c in (sys.argv[6].split(",") if len(sys.argv) > 6 else []) if c]
train = pd.read_csv(train_path)
test = pd.read_csv(test_path)
y_train = (train[target].astype(str) == positive).astype(int).to_numpy()
y_test = (test[target].astype(str) == positive).astype(int).to_numpy()
X_train = train.drop(columns=[target, *drop])
X_test = test.drop(columns=[target, *drop])
numeric, categorical = [], []
for c in X_train.columns:
    as_num = pd.to_numeric(X_train[c].replace(r"^\s*$", np.nan, regex=True), errors="coerce")
    if as_num.notna().sum() == X_train[c].replace(r"^\s*$", np.nan, regex=True).notna().sum():
        numeric.append(c)
        X_train[c] = as_num
        X_test[c] = pd.to_numeric(X_test[c].replace(r"^\s*$", np.nan, regex=True), errors="coerce")
    else:
        categorical.append(c)
        X_train[c] = X_train[c].astype(str)
        X_test[c] = X_test[c].astype(str)
num_steps = [SimpleImputer(strategy="median")] + ([StandardScaler()] if model == "logreg" else [])
pre = ColumnTransformer(
    [("num", make_pipeline(*num_steps), numeric), ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical)]
)
A_train = pre.fit_transform(X_train)
A_test = pre.transform(X_test)
if model == "logreg":
    est = LogisticRegression(max_iter=1000)
elif model == "tree":
    est = DecisionTreeClassifier(max_depth=6, random_state=0)
elif model == "forest":
    est = RandomForestClassifier(n_estimators=100, random_state=0)
elif model == "hgb":
    est = HistGradientBoostingClassifier(random_state=0)
elif model == "xgboost":
    from xgboost import XGBClassifier

    est = XGBClassifier(n_estimators=100, max_depth=6, tree_method="hist", random_state=0)
else:
    raise SystemExit(f"unknown model {model}")
t0 = time.perf_counter()
est.fit(A_train, y_train)
fit_s = time.perf_counter() - t0
p = est.predict_proba(A_test)[:, 1]
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"model": model, "auc": roc_auc_score(y_test, p), "fit_s": fit_s, "peak_rss_mb": rss}))
