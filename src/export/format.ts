/** One format `churnkit export` writes (`--format NAME`), from a model.json already read and validated. */
import type { ModelArtifact } from "../artifact/artifact-type.js";

/** One export format. */
export interface ExportFormat {
  /** The format's name on the command line, e.g. "sql". */
  name: string;
  /** The usual file extension, with its dot, e.g. ".sql". */
  extension: string;
  /**
   * The exported model. Throws a UserError (one line, naming the model's family or column and what to do) when the
   * model cannot be exported in this format.
   */
  write(artifact: ModelArtifact): Uint8Array | string;
}
