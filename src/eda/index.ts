/** Exploratory data analysis: a profile of a table computed in DuckDB, and its HTML report. */
export { profile, type ProfileOptions } from "./profile.js";
export { edaReport, type EdaReportOptions } from "./report.js";
export type {
  CategoryStat,
  ColumnProfile,
  Correlations,
  NumericStats,
  Profile,
  QuantileBin,
  RateGroup,
  TargetAssociation,
  TargetProfile,
  Warning,
} from "./types.js";
