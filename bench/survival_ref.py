"""Frozen reference numbers for churnkit's survival metrics (src/evaluation/survival.ts).

scikit-survival is not packaged for Debian, so this is a numpy-only transcription of its algorithms as
documented and implemented in sksurv 0.22 (sksurv/nonparametric.py, sksurv/metrics.py): the Kaplan–Meier
estimator (and reverse=True for the censoring distribution), concordance_index_censored (pairs by masks,
O(n²)), cumulative_dynamic_auc (trapezoids over the ROC points with tied scores merged) with IPCW weights,
brier_score and integrated_brier_score. These are different algorithms from churnkit's (which sorts once and
uses a Fenwick tree for the C-index and a single pass per horizon for the AUC), so agreement checks both.

    /usr/bin/python3 bench/survival_ref.py [OUT]   # default tests/fixtures/survival-sksurv.json

The data sets are generated here with a seeded numpy RNG and frozen with the numbers, so both sides read the
very same values; regenerating gives byte-identical JSON.
"""
import json
import sys

import numpy as np


def compute_counts(event, time):
    order = np.argsort(time, kind="mergesort")
    t = time[order]
    e = event[order]
    uniq, first, counts = np.unique(t, return_index=True, return_counts=True)
    n_events = np.add.reduceat(e.astype(int), first)
    n_at_risk = len(time) - np.r_[0, np.cumsum(counts)][:-1]
    return uniq, n_events, n_at_risk, counts - n_events


def kaplan_meier(event, time, reverse=False):
    uniq, n_events, n_at_risk, n_censored = compute_counts(event, time)
    if reverse:
        n_at_risk = n_at_risk - n_events
        n_events = n_censored
    ratio = np.divide(n_events, n_at_risk, out=np.zeros(len(uniq)), where=n_events != 0)
    return uniq, np.cumprod(1.0 - ratio)


class StepEstimator:
    """SurvivalFunctionEstimator / CensoringDistributionEstimator: fit and predict_proba."""

    def __init__(self, event, time, reverse):
        if reverse and event.all():
            self.t = np.unique(time)
            self.p = np.ones(len(self.t))
        else:
            t, p = kaplan_meier(event, time, reverse)
            self.t = np.r_[-np.inf, t]
            self.p = np.r_[1.0, p]

    def predict(self, time):
        time = np.atleast_1d(np.asarray(time, dtype=float))
        extends = time > self.t[-1]
        if self.p[-1] > 0 and extends.any():
            raise ValueError("time must be smaller than largest observed time point")
        out = np.zeros(len(time))
        idx = np.searchsorted(self.t, time[~extends])
        exact = np.abs(self.t[np.minimum(idx, len(self.t) - 1)] - time[~extends]) < np.finfo(float).eps
        idx[~exact] -= 1
        out[~extends] = self.p[idx]
        return out


def concordance_index_censored(event, time, estimate, tied_tol=1e-8):
    order = np.argsort(time)
    n = len(time)
    comparable = {}
    tied_time = 0
    i = 0
    while i < n - 1:
        time_i = time[order[i]]
        end = i + 1
        while end < n and time[order[end]] == time_i:
            end += 1
        censored_at_same_time = ~event[order[i:end]]
        for j in range(i, end):
            if event[order[j]]:
                mask = np.zeros(n, dtype=bool)
                mask[end:] = True
                mask[i:end] = censored_at_same_time
                comparable[j] = mask
                tied_time += censored_at_same_time.sum()
        i = end
    concordant = discordant = tied_risk = 0
    numerator = denominator = 0.0
    for ind, mask in comparable.items():
        est_i = estimate[order[ind]]
        est = estimate[order[mask]]
        ties = np.absolute(est - est_i) <= tied_tol
        n_ties = ties.sum()
        n_con = (est < est_i)[~ties].sum()
        numerator += n_con + 0.5 * n_ties
        denominator += mask.sum()
        tied_risk += n_ties
        concordant += n_con
        discordant += est.size - n_con - n_ties
    return numerator / denominator, int(concordant), int(discordant), int(tied_risk), int(tied_time)


def cumulative_dynamic_auc(train, test, estimate, times, tied_tol=1e-8):
    test_event, test_time = test
    times = np.unique(times)
    if times.max() >= test_time.max() or times.min() < test_time.min():
        raise ValueError("all times must be within follow-up time of test data")
    cens = StepEstimator(*train, reverse=True)
    g = cens.predict(test_time[test_event])
    if (g == 0).any():
        raise ValueError("censoring survival function is zero at one or more time points")
    ipcw = np.zeros(len(test_time))
    ipcw[test_event] = 1.0 / g
    o = np.argsort(-estimate)
    t, e, est, w = test_time[o], test_event[o], estimate[o], ipcw[o]
    scores = []
    for tau in times:
        is_case = (t <= tau) & e
        is_control = t > tau
        is_tied = np.absolute(np.diff(np.r_[np.inf, est])) <= tied_tol
        tp = np.cumsum(is_case * w)
        tp = tp / tp[-1]
        fp = np.cumsum(is_control) / is_control.sum()
        idx = np.flatnonzero(is_tied) - 1
        tp = np.r_[0, np.delete(tp, idx)]
        fp = np.r_[0, np.delete(fp, idx)]
        scores.append(float(np.sum((fp[1:] - fp[:-1]) * (tp[1:] + tp[:-1]) / 2)))
    scores = np.array(scores)
    if len(times) == 1:
        mean = scores[0]
    else:
        s = StepEstimator(test_event, test_time, reverse=False).predict(times)
        d = -np.diff(np.r_[1.0, s])
        mean = (scores * d).sum() / (1.0 - s[-1])
    return times, scores, float(mean)


def brier_score(train, test, surv, times):
    test_event, test_time = test
    times = np.unique(times)
    cens = StepEstimator(*train, reverse=True)
    pt = cens.predict(times)
    pt[pt == 0] = np.inf
    py = cens.predict(test_time)
    py[py == 0] = np.inf
    scores = []
    for k, tau in enumerate(times):
        est = surv[:, k]
        is_case = (test_time <= tau) & test_event
        is_control = test_time > tau
        scores.append(float(np.mean(est**2 * is_case / py + (1.0 - est) ** 2 * is_control / pt[k])))
    scores = np.array(scores)
    ibs = float(np.sum((times[1:] - times[:-1]) * (scores[1:] + scores[:-1]) / 2) / (times[-1] - times[0]))
    return times, scores, ibs


def survival(risk, times):
    """The survival model both sides evaluate: S_i(t) = exp(−exp(risk_i) · 0.05 · t)."""
    return np.exp(-np.outer(np.exp(risk), 0.05 * np.asarray(times)))


def make_case(rng, name, n_train, n_test, integer_times, risk_decimals):
    def draw(n):
        risk = np.round(rng.normal(size=n), risk_decimals)
        t = rng.exponential(1 / (0.05 * np.exp(risk)))
        c = rng.uniform(6, 60, size=n)
        time = np.minimum(t, c)
        time = np.ceil(time) if integer_times else np.round(time, 2)
        return risk, (t <= c), time

    _, train_event, train_time = draw(n_train)
    risk, test_event, test_time = draw(n_test)
    # Keep test times inside the training follow-up, where the censoring distribution is estimated.
    cap = train_time.max()
    test_event &= test_time <= cap
    test_time = np.minimum(test_time, cap)
    c = concordance_index_censored(test_event, test_time, risk)
    horizons = [3.0, 6.0, 12.0, 24.0]
    h, auc, mean_auc = cumulative_dynamic_auc((train_event, train_time), (test_event, test_time), risk, horizons)
    times = np.unique(np.percentile(test_time, np.linspace(10, 80, 8)))
    bt, bs, ibs = brier_score((train_event, train_time), (test_event, test_time), survival(risk, times), times)
    km_t, km_s = kaplan_meier(test_event, test_time)
    g_t, g_s = kaplan_meier(train_event, train_time, reverse=True)
    return {
        "name": name,
        "train": {"time": train_time.tolist(), "event": train_event.astype(int).tolist()},
        "test": {"time": test_time.tolist(), "event": test_event.astype(int).tolist()},
        "risk": risk.tolist(),
        "km": {"time": km_t.tolist(), "survival": km_s.tolist()},
        "censoring_km": {"time": g_t.tolist(), "survival": g_s.tolist()},
        "concordance": dict(zip(["c_index", "concordant", "discordant", "tied_risk", "tied_time"], c)),
        "td_auc": {"times": h.tolist(), "auc": auc.tolist(), "mean": mean_auc},
        "brier": {"times": bt.tolist(), "brier": bs.tolist(), "integrated": ibs},
    }


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/survival-sksurv.json"
    rng = np.random.default_rng(17)
    cases = [
        make_case(rng, "integer months, risk to 1 decimal (many ties)", 300, 250, True, 1),
        make_case(rng, "integer months, continuous risk", 400, 300, True, 6),
        make_case(rng, "continuous times, risk to 2 decimals", 300, 300, False, 2),
        make_case(rng, "small, heavy ties", 60, 40, True, 0),
    ]
    doc = {
        "source": "bench/survival_ref.py: numpy transcription of scikit-survival 0.22's metrics; S_i(t) = exp(-exp(risk_i) * 0.05 * t)",
        "cases": cases,
    }
    with open(out, "w") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {out}: {len(cases)} cases")


if __name__ == "__main__":
    main()
