/** File helpers: atomic directory writes so that nothing half-written is ever left behind. */
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Write a set of files into `dir` atomically: they are written into a temporary sibling
 * directory which then replaces `dir` (an existing directory is swapped out, then removed).
 */
export async function writeDirAtomic(dir: string, files: Record<string, string>): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tmp = join(parent, `.${basename(dir)}.tmp-${process.pid}-${Date.now()}`);
  try {
    await mkdir(tmp);
    for (const [name, content] of Object.entries(files)) await writeFile(join(tmp, name), content);
    if (existsSync(dir)) {
      const old = `${tmp}.old`;
      await rename(dir, old);
      await rename(tmp, dir);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, dir);
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Write one file atomically (temporary name, then rename). */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  try {
    await writeFile(tmp, content);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
