import { Linter } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import exportDoc from "../../tools/eslint-require-export-doc.js";

// The lint rule that keeps every export of src/ documented: which declarations it flags, and which it lets pass.
const lint = (code: string): string[] =>
  new Linter()
    .verify(
      code,
      [
        {
          files: ["**/*.ts"],
          languageOptions: { parser: tseslint.parser },
          plugins: { local: exportDoc },
          rules: { "local/require-export-doc": "error" },
        },
      ],
      "src/x.ts",
    )
    .map((m) => `${m.line}: ${m.message}`);

describe("local/require-export-doc", () => {
  it("flags each kind of exported declaration without a doc comment, naming it", () => {
    const code = [
      "export function f(): void {}",
      "export class C {}",
      "export interface I { a: number }",
      "export type T = number;",
      "export const a = 1, b = 2;",
      "export enum E { A }",
      "export default function () {}",
    ].join("\n");
    expect(lint(code)).toEqual([
      "1: exported Function f has no doc comment (/** what it is and why it exists */)",
      "2: exported Class C has no doc comment (/** what it is and why it exists */)",
      "3: exported Interface I has no doc comment (/** what it is and why it exists */)",
      "4: exported TypeAlias T has no doc comment (/** what it is and why it exists */)",
      "5: exported Variable a, b has no doc comment (/** what it is and why it exists */)",
      "6: exported Enum E has no doc comment (/** what it is and why it exists */)",
      "7: exported Function default has no doc comment (/** what it is and why it exists */)",
    ]);
  });

  it("does not count a line comment or a plain block comment as documentation", () => {
    const code = "// f does things\nexport function f(): void {}\n/* g */\nexport function g(): void {}";
    expect(lint(code)).toHaveLength(2);
  });

  it("accepts doc comments, re-exports, and overloads documented on their first signature", () => {
    const code = [
      "/** Documented. */",
      "export function f(): void {}",
      'export { f as g } from "./y.js";',
      "/** The overloads share this. */",
      "export function h(a: string): string;",
      "export function h(a: number): number;",
      "export function h(a: unknown): unknown { return a; }",
    ].join("\n");
    expect(lint(code)).toEqual([]);
  });
});
