/** Exact per-prediction explanations: TreeSHAP for trees, exact linear contributions, folding to input columns. */
export * from "./treeshap.js";
export * from "./fastshap.js";
export * from "./ensemble.js";
export * from "./linear.js";
export * from "./fold.js";
