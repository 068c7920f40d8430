import { dirname, relative, resolve } from "node:path";
import type { Command } from "commander";
import { writeFileAtomic } from "../utils/fs.js";
import { checkOutputFile } from "../utils/output.js";
import { cliLogger } from "./common.js";

/** Register `churnkit init`: write a commented config, with columns inferred from a data file when given. */
export function initCommand(program: Command): void {
  program
    .command("init")
    .description("write a commented YAML config (columns and types inferred from --data)")
    .option("--data <file>", "data file to describe (default: none, the bundled data is used)")
    .option("--out <file>", "config file to write", "churn.yaml")
    .option("--force", "overwrite an existing file")
    .action(async (o: { data?: string; out: string; force?: boolean }) => {
      const log = cliLogger();
      await import("../learners/families.js"); // registers the built-in families, which the config's comments list
      const { initConfigText } = await import("../config/init.js");
      const { fileSource } = await import("../data/load-typed.js");
      checkOutputFile(o.out, {
        flag: "--out",
        inputs: [{ flag: "--data", path: o.data }],
        overwrite: o.force === true,
        overwriteHint: "pass --force to overwrite it or choose another --out",
      });
      // Facts counted in DuckDB (data/load-typed.ts): a million-row file never becomes one JS string per cell.
      const source = o.data ? await fileSource(o.data) : undefined;
      let text: string;
      try {
        const rel = o.data ? relative(dirname(resolve(o.out)), resolve(o.data)) || o.data : undefined;
        text = initConfigText(source, rel);
      } finally {
        source?.close();
      }
      await writeFileAtomic(o.out, text);
      log.info(`config written to ${o.out}`);
      process.stdout.write(`${o.out}\n`);
    });
}
