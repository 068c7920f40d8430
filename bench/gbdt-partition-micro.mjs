// CPU ns per row of gbdt's partition of a node's rows at a split (row-tasks.ts, partitionRows) on 26,000 rows of
// random bins, for splits that send ~20%, ~50% and ~80% of the rows left, against the earlier branch-free loop
// (both sides written for every row). Usage: npm run build && node bench/gbdt-partition-micro.mjs
import { partitionRows } from "../dist/learners/gbdt/row-tasks.js";

function branchFree(rows, start, end, column, table, scratch) {
  let l = start;
  let r = 0;
  for (let k = start; k < end; k++) {
    const row = rows[k];
    const goes = table[column[row]];
    rows[l] = row;
    scratch[r] = row;
    l += goes;
    r += 1 - goes;
  }
  rows.set(scratch.subarray(0, r), l);
  return l - start;
}

const n = 26000;
let s = 7;
const rnd = () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296;
const column = Uint8Array.from({ length: n }, () => Math.floor(rnd() * 255));
const scratch = new Uint32Array(n);
const rows = new Uint32Array(n);
for (const cut of [50, 128, 200]) {
  const table = new Uint8Array(256);
  table.fill(1, 0, cut);
  for (const [name, f] of [
    ["branch-free (before)", branchFree],
    ["partitionRows (now)", partitionRows],
  ]) {
    let best = Infinity;
    for (let rep = 0; rep < 6; rep++) {
      const t = process.cpuUsage();
      for (let i = 0; i < 300; i++) {
        for (let q = 0; q < n; q++) rows[q] = q;
        f(rows, 0, n, column, table, scratch);
      }
      const d = process.cpuUsage(t);
      if (rep > 0) best = Math.min(best, ((d.user + d.system) * 1000) / 300 / n);
    }
    console.log(
      `${Math.round((100 * cut) / 255)}% left, ${name}: ${best.toFixed(2)} ns per row (incl. the row-array reset)`,
    );
  }
}
