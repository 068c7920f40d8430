/**
 * coxGradients, the per-row gradient and diagonal hessian gbdt boosts, for Breslow's and Efron's ties: against a
 * case derived by hand, against brute force (every event duration's risk set and Efron's denominators summed anew
 * from the definition, O(n²)), and against central differences of logPartialLikelihood.
 *
 * Hand case: durations 1, 1, 1, 2, events 1, 1, 0, 1, all scores 0 (e = 1). At t=1 the risk set sums to 4, the tie
 * to 2. Breslow: each row at risk at t=1 gets 2/4 (and hessian 2·(1/4 − 1/16)); the t=2 row adds 1/1 − 1/1 = 0 to
 * its hessian. Efron: den 4 and 3, the tied events' weights 1 and 1/2, the censored row's 1 and 1.
 */
import { describe, expect, it } from "vitest";
import {
  coxGradients,
  coxScratchLength,
  logPartialLikelihood,
  riskOrder,
  type CoxTies,
} from "../../src/learners/partial-likelihood.js";
import { Rng } from "../../src/utils/random.js";

function gradients(time: Float64Array, event: Uint8Array, eta: Float64Array, ties: CoxTies) {
  const ro = riskOrder(time);
  const grad = new Float64Array(time.length);
  const hess = new Float64Array(time.length);
  coxGradients(ro, event, eta, grad, hess, new Float64Array(coxScratchLength(ro)), ties);
  return { grad, hess };
}

/** −ℓ's gradient and diagonal hessian from the definition: each event duration, each l, each row, summed anew. */
function brute(time: Float64Array, event: Uint8Array, eta: Float64Array, ties: CoxTies) {
  const n = time.length;
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const e = Array.from(eta, Math.exp);
  for (let i = 0; i < n; i++) grad[i] = -event[i]!;
  for (const t of new Set(Array.from(time).filter((_, i) => event[i]))) {
    const D = [...time.keys()].filter((i) => time[i] === t && event[i]);
    const d = D.length;
    for (let l = 0; l < d; l++) {
      const phi = ties === "efron" ? l / d : 0;
      let den = 0;
      for (let i = 0; i < n; i++) if (time[i]! >= t) den += (D.includes(i) ? 1 - phi : 1) * e[i]!;
      for (let i = 0; i < n; i++) {
        if (!(time[i]! >= t)) continue;
        const w = ((D.includes(i) ? 1 - phi : 1) * e[i]!) / den;
        grad[i]! += w;
        hess[i]! += w - w * w;
      }
    }
  }
  return { grad, hess };
}

/** n rows of durations in 1..levels (heavy ties), events with probability pEvent, scores in ±spread. */
function tiedCase(n: number, levels: number, seed: number, spread = 1.5, pEvent = 0.6) {
  const rng = new Rng(seed);
  const time = Float64Array.from({ length: n }, () => 1 + rng.int(levels));
  const event = Uint8Array.from({ length: n }, () => (rng.next() < pEvent ? 1 : 0));
  event[0] = 1;
  const eta = Float64Array.from({ length: n }, () => (rng.next() * 2 - 1) * spread);
  return { time, event, eta };
}

describe("coxGradients: a case by hand", () => {
  const time = Float64Array.from([1, 1, 1, 2]);
  const event = Uint8Array.from([1, 1, 0, 1]);
  const eta = new Float64Array(4);

  it("Breslow: every row at risk at t=1 sees both tied events over the whole risk set", () => {
    const { grad, hess } = gradients(time, event, eta, "breslow");
    [2 / 4 - 1, 2 / 4 - 1, 2 / 4, 2 / 4 + 1 - 1].forEach((g, i) => expect(grad[i]).toBeCloseTo(g, 14));
    const h = 2 * (1 / 4 - 1 / 16);
    [h, h, h, h + 0].forEach((v, i) => expect(hess[i]).toBeCloseTo(v, 14));
  });

  it("Efron: the tied events count 1 and 1/2 over the denominators 4 and 3, the censored row 1 and 1", () => {
    const { grad, hess } = gradients(time, event, eta, "efron");
    const ev = 1 / 4 + 1 / 2 / 3;
    const cens = 1 / 4 + 1 / 3;
    // The row at t=2: at risk at t=1 (weight 1 in both denominators), then alone at t=2 (1/1 − 1, hessian 0).
    [ev - 1, ev - 1, cens, cens].forEach((g, i) => expect(grad[i]).toBeCloseTo(g, 14));
    const hEv = 1 / 4 - 1 / 16 + 1 / 6 - 1 / 36;
    const hCens = 1 / 4 - 1 / 16 + 1 / 3 - 1 / 9;
    [hEv, hEv, hCens, hCens].forEach((v, i) => expect(hess[i]).toBeCloseTo(v, 14));
    // The scores' sum is free (ℓ is invariant to a shift), so the gradients sum to 0.
    expect(grad.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 14);
  });
});

describe("coxGradients: brute force and finite differences", () => {
  const cases = [tiedCase(40, 4, 1), tiedCase(60, 7, 2, 3), tiedCase(25, 2, 3, 0.5, 0.9), tiedCase(50, 50, 4)];

  it("equals the definition summed directly, row by row (Efron and Breslow, ties of every size)", () => {
    for (const { time, event, eta } of cases) {
      for (const ties of ["efron", "breslow"] as const) {
        const got = gradients(time, event, eta, ties);
        const want = brute(time, event, eta, ties);
        for (let i = 0; i < time.length; i++) {
          expect(got.grad[i]).toBeCloseTo(want.grad[i]!, 12);
          expect(got.hess[i]).toBeCloseTo(want.hess[i]!, 12);
        }
      }
    }
  });

  it("is the derivative of logPartialLikelihood: central differences of −ℓ and of the gradient", () => {
    for (const { time, event, eta } of cases) {
      const ro = riskOrder(time);
      for (const ties of ["efron", "breslow"] as const) {
        const { grad, hess } = gradients(time, event, eta, ties);
        const h = 1e-5;
        for (let i = 0; i < time.length; i++) {
          const up = eta.slice();
          const dn = eta.slice();
          up[i]! += h;
          dn[i]! -= h;
          const fd = (logPartialLikelihood(ro, event, dn, ties) - logPartialLikelihood(ro, event, up, ties)) / (2 * h);
          expect(grad[i]).toBeCloseTo(fd, 7); // ℓ is O(100): rounding in the differences is ~1e-9
          const fdH = (gradients(time, event, up, ties).grad[i]! - gradients(time, event, dn, ties).grad[i]!) / (2 * h);
          expect(hess[i]).toBeCloseTo(fdH, 8);
        }
      }
    }
  });

  it("gives Efron and Breslow the same numbers when no two events share a duration", () => {
    const n = 30;
    const rng = new Rng(9);
    const time = Float64Array.from({ length: n }, (_, i) => i + 1);
    time[5] = time[6] = 6; // a tie of an event with a censored row only: Efron = Breslow still
    const event = Uint8Array.from({ length: n }, (_, i) => (i === 6 ? 0 : rng.next() < 0.5 ? 1 : 0));
    const eta = Float64Array.from({ length: n }, () => rng.next() - 0.5);
    const a = gradients(time, event, eta, "efron");
    const b = gradients(time, event, eta, "breslow");
    expect(Array.from(a.grad)).toEqual(Array.from(b.grad));
    expect(Array.from(a.hess)).toEqual(Array.from(b.hess));
  });

  it("differs from Breslow on tied events", () => {
    const { time, event, eta } = cases[0]!;
    const a = gradients(time, event, eta, "efron");
    const b = gradients(time, event, eta, "breslow");
    let differ = 0;
    for (let i = 0; i < time.length; i++) if (Math.abs(a.grad[i]! - b.grad[i]!) > 1e-6) differ++;
    expect(differ).toBeGreaterThan(time.length / 2);
  });

  it("does not depend on the rows' order, on a shift of every score, nor overflow at large scores", () => {
    const { time, event, eta } = cases[1]!;
    const n = time.length;
    const perm = Array.from({ length: n }, (_, i) => (i * 17 + 5) % n);
    for (const ties of ["efron", "breslow"] as const) {
      const base = gradients(time, event, eta, ties);
      const p = gradients(
        Float64Array.from(perm, (i) => time[i]!),
        Uint8Array.from(perm, (i) => event[i]!),
        Float64Array.from(perm, (i) => eta[i]!),
        ties,
      );
      const s = gradients(
        time,
        event,
        eta.map((v) => v + 800),
        ties,
      );
      for (let k = 0; k < n; k++) {
        expect(p.grad[k]).toBeCloseTo(base.grad[perm[k]!]!, 13);
        expect(p.hess[k]).toBeCloseTo(base.hess[perm[k]!]!, 13);
        expect(s.grad[k]).toBeCloseTo(base.grad[k]!, 12);
        expect(s.hess[k]).toBeCloseTo(base.hess[k]!, 12);
      }
    }
  });
});
