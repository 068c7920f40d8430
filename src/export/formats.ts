/** The formats `churnkit export --format NAME` writes, by name. */
import type { ExportFormat } from "./format.js";
import { onnxFormat } from "./onnx/index.js";

/** Every export format, by its `--format` name. */
export const EXPORT_FORMATS: Readonly<Record<string, ExportFormat>> = { onnx: onnxFormat };
