/**
 * `churnkit evaluate --predictions FILE --labels FILE`: earlier predictions joined with later labels on the id.
 * Spawns the built CLI: run `npm run build` first.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { loadTable } from "../../src/data/load.js";
import { joinLabels } from "../../src/evaluation/labels-join.js";
import { loadModel } from "../../src/artifact/churn-model.js";
import { runCli, type CliRun } from "../cli-run.js";
import { telcoLines, tmp, write } from "../helpers.js";

const cli = (args: string[]): Promise<CliRun> => runCli(["evaluate", ...args]);

/** A user error: exit 2 and exactly one stderr line, containing `text`. */
function expectUserError(r: CliRun, text: string): void {
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.split("\n").filter(Boolean);
  expect(lines, r.stderr).toEqual([`churnkit: ${text}`]);
}

let dir: string;
let preds: string;
let labels: string;
beforeAll(() => {
  dir = tmp("churnkit-delayed-");
  // e has no label row, f's label is empty; g is labelled but was never scored. Orders differ between the files.
  preds = write(
    dir,
    "scores.csv",
    "customerID,churn_probability,churn_prediction\na,0.9,true\nb,0.8,true\nc,0.3,false\nd,0.2,false\ne,0.6,true\nf,0.4,false\n",
  );
  labels = write(dir, "labels.csv", "customerID,Churn\nd,No\nc,Yes\ng,Yes\nf,\nb,No\na,Yes\n");
});

describe("evaluate --predictions --labels", () => {
  it("joins on the id: metrics of the 4 rows with both, and the counts of those left out", async () => {
    const r = await cli(["--predictions", preds, "--labels", labels, "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m.rows).toBe(4);
    expect(m.predictions_without_labels).toBe(2); // e (no row) and f (empty label)
    expect(m.labels_without_predictions).toBe(1); // g
    expect(m.id).toEqual(["customerID"]);
    expect([m.target, m.positive]).toEqual(["Churn", "Yes"]);
    // churners a (0.9), c (0.3); stayers b (0.8), d (0.2): 3 of the 4 pairs ordered right.
    expect(m.auc).toBe(0.75);
    expect(m.brier).toBeCloseTo((0.1 ** 2 + 0.8 ** 2 + 0.7 ** 2 + 0.2 ** 2) / 4, 12);
    expect(m.log_loss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.2) + Math.log(0.3) + Math.log(0.8)) / 4, 12);
    expect(m.threshold).toBe(0.5);
    expect(m.confusion).toEqual({ tp: 1, fp: 1, tn: 1, fn: 1 });
  });

  it("says the counts in text, and uses --threshold", async () => {
    const r = await cli(["--predictions", preds, "--labels", labels, "--threshold", "0.25"]);
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout.split("\n");
    expect(out[0]).toBe('joined      4 predictions with their labels on "customerID" (target "Churn", churn = "Yes")');
    expect(out[1]).toBe("left out    2 predictions without a label, 1 label without a prediction");
    expect(r.stdout).toContain("at threshold 0.2500 (--threshold)");
    expect(r.stdout).toContain("confusion   tp 2  fp 1  tn 1  fn 0");
  });

  it("joins on several id columns and a named target", async () => {
    const p = write(dir, "p2.csv", "shop,cust,churn_probability\n1,a,0.7\n2,a,0.1\n1,b,0.4\n");
    const l = write(dir, "l2.csv", "cust,shop,left,extra\na,2,0,x\na,1,1,y\nb,1,0,z\n");
    const j = await joinLabels({ predictions: p, labels: l, column: "left" });
    expect(j.id).toEqual(["shop", "cust"]);
    expect(j.target.positive).toBe("1");
    expect([...j.y]).toEqual([0, 1, 0]); // in the labels file's order
    expect([...j.p]).toEqual([0.1, 0.7, 0.4]);
    expect([j.predictionsWithoutLabels, j.labelsWithoutPredictions]).toEqual([0, 0]);
  });

  it("fails with one line naming the file and column: missing id, duplicate ids, labels not two-valued", async () => {
    expectUserError(
      await cli(["--predictions", preds, "--labels", labels, "--id", "cust"]),
      `${preds}: id column "cust" not found; its columns are: customerID, churn_probability, churn_prediction; pass --id COL`,
    );
    const noId = write(dir, "noid.csv", "id,Churn\na,Yes\n");
    expectUserError(
      await cli(["--predictions", preds, "--labels", noId]),
      `${noId}: id column "customerID" not found; its columns are: id, Churn; pass --id COL`,
    );
    const dup = write(dir, "dup.csv", "customerID,Churn\na,Yes\nb,No\na,No\n");
    expectUserError(
      await cli(["--predictions", preds, "--labels", dup]),
      `${dup}: id "a" appears 2 times in column "customerID"; each id must appear once to be joined`,
    );
    const three = write(dir, "three.csv", "customerID,Churn\na,Yes\nb,No\nc,Maybe\n");
    expectUserError(
      await cli(["--predictions", preds, "--labels", three]),
      `${three}: target column "Churn" has 3 distinct labels ("Yes", "No", "Maybe"); evaluating needs exactly two, churned and not`,
    );
    const one = write(dir, "one.csv", "customerID,Churn\na,Yes\nb,Yes\n");
    expectUserError(
      await cli(["--predictions", preds, "--labels", one]),
      `${one}: target column "Churn" has 1 distinct label ("Yes"); evaluating needs exactly two, churned and not`,
    );
    const twoCols = write(dir, "two-cols.csv", "customerID,Churn,region\na,Yes,x\n");
    expectUserError(
      await cli(["--predictions", preds, "--labels", twoCols]),
      `${twoCols}: which column holds the labels? its columns besides the id are: Churn, region; pass --target COL`,
    );
    const badP = write(dir, "bad-p.csv", "customerID,churn_probability\na,0.9\nb,high\n");
    expectUserError(
      await cli(["--predictions", badP, "--labels", labels]),
      `${badP}: row 2, column "churn_probability": "high" is not a probability from 0 to 1; use the output of churnkit predict`,
    );
    const other = write(dir, "other.csv", "customerID,Churn\nx,Yes\ny,No\n");
    expectUserError(
      await cli(["--predictions", preds, "--labels", other]),
      `${other}: no labelled row has a prediction in ${preds} (joined on "customerID"); check that both files hold the same ids, or pass --id COL`,
    );
    expectUserError(await cli(["--predictions", preds]), "--predictions needs --labels FILE too");
  });
});

describe("evaluate --predictions --labels --model", () => {
  let model: string;
  let sample: string;
  beforeAll(async () => {
    const t = telcoLines();
    sample = write(dir, "sample.csv", [t.header, ...t.lines.slice(0, 400)].join("\n") + "\n");
    model = join(dir, "model");
    await train({ data: sample, model: "logreg", out: model });
  }, 120_000);

  it("gives the same metrics as evaluate --data on the rows that have both, at the model's threshold", async () => {
    const scores = join(dir, "model-scores.csv");
    const p = await runCli(["predict", "--model", model, "--data", sample, "--out", scores]);
    expect(p.status, p.stderr).toBe(0);
    // Labels for rows 0..299 of the sample, in reverse order; rows 300..399 not labelled yet.
    const t = telcoLines();
    const cells = t.lines.slice(0, 300).map((l) => l.split(","));
    const h = t.header.split(",");
    const [id, churn] = [h.indexOf("customerID"), h.indexOf("Churn")];
    const lab = write(
      dir,
      "model-labels.csv",
      ["customerID,Churn", ...cells.reverse().map((c) => `${c[id]},${c[churn]}`)].join("\n") + "\n",
    );
    const r = await cli(["--predictions", scores, "--labels", lab, "--model", model, "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout);
    const loaded = await loadModel(model);
    const first300 = write(dir, "first300.csv", [t.header, ...t.lines.slice(0, 300)].join("\n") + "\n");
    const direct = await loaded.evaluate(await loadTable(first300));
    expect(m.rows).toBe(300);
    expect([m.predictions_without_labels, m.labels_without_predictions]).toEqual([100, 0]);
    expect(m.threshold).toBe(loaded.threshold);
    expect(m.confusion).toEqual(direct.confusion);
    // The probabilities went through the CSV as text (shortest round-trip form): the same numbers.
    expect(m.auc).toBe(direct.auc);
    expect(m.log_loss).toBeCloseTo(direct.log_loss, 12);
  });

  it("refuses a label the model never saw in training, naming the labels file's row", async () => {
    const scores = join(dir, "model-scores.csv");
    const lab = write(dir, "odd-labels.csv", "customerID,Churn\n7590-VHVEG,No\n5575-GNVDE,Unknown\n");
    expectUserError(
      await cli(["--predictions", scores, "--labels", lab, "--model", model]),
      `${lab}: row 2, target column "Churn": label "Unknown" was not seen in training (labels: Yes, No)`,
    );
  });
});
