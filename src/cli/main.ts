#!/usr/bin/env node
/**
 * The `churnkit` command. One subcommand per job; exit codes: 0 success, 2 bad usage or bad
 * input (one line naming what and where), 1 anything else. --json output goes to stdout,
 * logs and progress to stderr.
 */
import { Command, CommanderError } from "commander";
import { isUserError } from "../utils/errors.js";
import { VERSION } from "../version.js";
import { driftCommand } from "./drift.js";
import { edaCommand } from "./eda.js";
import { evaluateCommand } from "./evaluate.js";
import { explainCommand } from "./explain.js";
import { exportCommand } from "./export.js";
import { importCommand } from "./import.js";
import { initCommand } from "./init.js";
import { predictCommand } from "./predict.js";
import { runCommand } from "./run.js";
import { serveCommand } from "./serve.js";
import { trainCommand } from "./train.js";

// A reader that stopped early (`churnkit predict ... | head`) closes stdout: stop quietly, as `cat` does, rather than
// with Node's stack trace of an unhandled 'error' event. Exit 1: the output was not written whole.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE") throw e;
  process.exit(1);
});

const program = new Command("churnkit")
  .description("Train, evaluate, explain, version and serve churn models from a customer table.")
  .version(VERSION, "-V, --version")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();

for (const add of [
  runCommand,
  initCommand,
  trainCommand,
  evaluateCommand,
  predictCommand,
  explainCommand,
  edaCommand,
  serveCommand,
  exportCommand,
  driftCommand,
  importCommand,
])
  add(program);
for (const c of program.commands) c.exitOverride().showHelpAfterError("(run with --help for usage)");

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version end here with code 0; usage errors were already printed.
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (isUserError(e)) {
    process.stderr.write(`churnkit: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    const err = e as Error;
    process.stderr.write(`churnkit: unexpected failure: ${err?.message ?? err}\n`);
    if (process.env.CHURNKIT_DEBUG) process.stderr.write(`${err?.stack}\n`);
    else process.stderr.write("churnkit: set CHURNKIT_DEBUG=1 for details\n");
    process.exitCode = 1;
  }
}
