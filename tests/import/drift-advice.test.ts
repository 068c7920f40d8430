/**
 * `churnkit drift` on a model `churnkit import` made without --data (no reference statistics): exit 2 with one line
 * that says to import it again with --data and a reference table, not to "retrain" a model churnkit never trained;
 * and following that advice works: imported with --data, the same check runs.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli-run.js";
import { ROOT, TELCO, tmp } from "../helpers.js";

const FILE = join(ROOT, "tests", "fixtures", "xgboost", "telco.model.json");
const TIMEOUT = 180_000;

describe("drift on an imported model", () => {
  it(
    "without reference statistics: exit 2, import again with --data; with them: the check runs",
    async () => {
      const dir = tmp("churnkit-import-drift-");
      const bare = join(dir, "bare");
      expect((await runCli(["import", "--from", "xgboost", FILE, "--out", bare])).status).toBe(0);
      const r = await runCli(["drift", "--model", bare, "--data", TELCO]);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        `churnkit: ${join(bare, "model.json")}: no reference statistics to check drift against: the model was imported (churnkit import) without --data; import it again with a reference table (the table it was trained on, or rows of a reference period): churnkit import --from xgboost|lightgbm ${FILE} --data TABLE --out DIR\n`,
      );
      expect(r.stderr).not.toContain("retrain");

      const withData = join(dir, "with-data");
      const i = await runCli(["import", "--from", "xgboost", FILE, "--data", TELCO, "--out", withData]);
      expect(i.status, i.stderr).toBe(0);
      const d = await runCli(["drift", "--model", withData, "--data", TELCO, "--json"]);
      expect(d.status, d.stderr).toBe(0);
      const result = JSON.parse(d.stdout) as { rows: number; drifted: boolean };
      expect(result.rows).toBe(7043);
      expect(result.drifted).toBe(false); // the reference table itself
    },
    TIMEOUT,
  );
});
