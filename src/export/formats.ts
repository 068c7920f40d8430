/** The formats `churnkit export --format NAME` writes, by name. */
import type { ModelArtifact } from "../artifact/artifact-type.js";
import type { ExportFormat } from "./format.js";
import { onnxFormat } from "./onnx/index.js";
import { prepareSql, sqlFormat } from "./sql/index.js";

/** An export format, with the asynchronous work (if any) its `write` needs done first. */
export interface RegisteredFormat extends ExportFormat {
  /** Run before `write` (the SQL format parses derived features in DuckDB's sandbox). */
  prepare?(artifact: ModelArtifact): Promise<void>;
}

/** Every export format, by its `--format` name. */
export const formats: Record<string, RegisteredFormat> = {
  sql: { ...sqlFormat, prepare: prepareSql },
  onnx: onnxFormat,
};
