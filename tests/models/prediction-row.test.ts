import { describe, expect, it } from "vitest";
import { predictionRow, presentIdColumns, SCORE_COLUMNS } from "../../src/artifact/prediction-row.js";

describe("predictionRow (API, CLI predict and server share it)", () => {
  it("id columns first (null when missing), then churn_probability and churn_prediction at the threshold", () => {
    const data = { customerID: ["a", null], plan: ["x", "y"] };
    const ids = presentIdColumns(["customerID", "accountID"], (c) => c in data);
    expect(ids).toEqual(["customerID"]);
    const r0 = predictionRow(ids, data, 0, 0.5, 0.5);
    const r1 = predictionRow(ids, data, 1, 0.25, 0.5);
    expect(Object.keys(r0)).toEqual(["customerID", ...SCORE_COLUMNS]);
    expect({ ...r0 }).toEqual({ customerID: "a", churn_probability: 0.5, churn_prediction: true });
    expect({ ...r1 }).toEqual({ customerID: null, churn_probability: 0.25, churn_prediction: false });
  });
});
