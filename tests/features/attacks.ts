/** Derived-feature SQL from the red-team pass (issue #11), with what the allow-list says each uses. */
export const ATTACKS: { label: string; sql: string; uses: string }[] = [
  { label: "read_text", sql: "(SELECT content FROM read_text('/etc/passwd'))", uses: "read_text" },
  { label: "read_csv", sql: "(SELECT count(*) FROM read_csv('/etc/passwd'))", uses: "read_csv" },
  { label: "glob", sql: "(SELECT count(*) FROM glob('/root/*'))", uses: "glob" },
  {
    label: "COPY after ;",
    sql: "1); COPY (SELECT 'pwned' AS x) TO 'pwned.csv'; SELECT (1",
    uses: "more than one SQL statement",
  },
  { label: "ATTACH", sql: "1); ATTACH 'attached.db' AS x; SELECT (1", uses: "more than one SQL statement" },
  { label: "LOAD", sql: "1); LOAD httpfs; SELECT (1", uses: "more than one SQL statement" },
  { label: "INSTALL", sql: "1); INSTALL httpfs; SELECT (1", uses: "more than one SQL statement" },
  { label: "PRAGMA", sql: "1); PRAGMA enable_profiling; SELECT (1", uses: "more than one SQL statement" },
  { label: "SET", sql: "1); SET enable_external_access = true; SELECT (1", uses: "more than one SQL statement" },
  { label: "a subquery", sql: "tenure + (SELECT 1)", uses: "a subquery" },
  { label: "a window function", sql: "tenure - avg(tenure) OVER ()", uses: "the window function avg" },
  { label: "an aggregate", sql: "tenure - avg(tenure)", uses: "avg" },
  { label: "random()", sql: "tenure * random()", uses: "random" },
  { label: "now()", sql: "CAST(now() AS DATE)", uses: "now" },
];
