"""Write the scikit-learn reference split of the bundled Telco data.

Stratified 80/20, random_state 42, exactly as scikit-learn's train_test_split makes it.
Writes bench/out/telco-train.csv, bench/out/telco-test.csv (rows copied verbatim) and
tests/fixtures/telco-test-ids.json (the customerIDs of the test rows), which the tests use
to rebuild the same split offline without Python.

Run with Debian's Python, which has scikit-learn 1.2.1: /usr/bin/python3 bench/make_split.py
"""
import csv
import json
import os
import sys

from sklearn.model_selection import train_test_split

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
src = os.path.join(root, "data", "telco-customer-churn.csv")
with open(src, newline="") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
y = [r[header.index("Churn")] for r in body]
idx = list(range(len(body)))
train_idx, test_idx = train_test_split(idx, test_size=0.2, stratify=y, random_state=42)
out = os.path.join(root, "bench", "out")
os.makedirs(out, exist_ok=True)
for name, part in (("telco-train.csv", sorted(train_idx)), ("telco-test.csv", sorted(test_idx))):
    with open(os.path.join(out, name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for i in part:
            w.writerow(body[i])
ids = [body[i][header.index("customerID")] for i in sorted(test_idx)]
os.makedirs(os.path.join(root, "tests", "fixtures"), exist_ok=True)
with open(os.path.join(root, "tests", "fixtures", "telco-test-ids.json"), "w") as f:
    json.dump(ids, f)
print(f"train {len(train_idx)} rows, test {len(test_idx)} rows -> {out}", file=sys.stderr)
