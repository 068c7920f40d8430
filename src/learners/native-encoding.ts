/** The input encoding of the CART-based families. */
import type { EncodingNeeds } from "../core/types.js";

/** Trees take missing values and category codes natively: no imputation, no one-hot, no scaling. */
export const NATIVE_ENCODING: EncodingNeeds = { impute: false, oneHot: false, standardize: false };
