// ESLint, configured once for the code base: typescript-eslint's type-aware rules on src/ and tests/,
// and Prettier's (eslint-config-prettier turns off the stylistic rules that Prettier owns).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";
import globals from "globals";
import exportDoc from "./tools/eslint-require-export-doc.js";

export default tseslint.config(
  { ignores: ["dist/", "docs/", "node_modules/", "models/", "notebooks/", "coverage/", "**/*.d.ts", ".tmp-*/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["vitest.config.ts", "eslint.config.js"] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      // `a && f()` and `c ? f() : g()` as statements are used on purpose in hot loops.
      "@typescript-eslint/no-unused-expressions": ["error", { allowShortCircuit: true, allowTernary: true }],
      // Cell values are `unknown` scalars by construction (objects are refused when rows are read); String(v) is meant.
      "@typescript-eslint/no-base-to-string": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Every export of the library has TSDoc (see tools/eslint-require-export-doc.js).
    files: ["src/**/*.ts"],
    plugins: { local: exportDoc },
    rules: { "local/require-export-doc": "error" },
  },
  {
    // Spreading an array into a call (`push(...xs)`, `Math.max(...xs)`, `f(...rows)`) puts every element on the
    // stack: it throws RangeError past about 100,000 elements, so never on rows. The few calls that spread a list
    // that is small by construction (chart cells, CASE branches, HTTP codes) say so with
    // `// eslint-disable-next-line no-restricted-syntax -- <why it is small>`: that comment is the allow-list.
    files: ["src/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression > SpreadElement, NewExpression > SpreadElement",
          message:
            "no spread into a call: it fails on large arrays; loop (for, push one by one) or, for a list small by construction, disable with the reason",
        },
      ],
    },
  },
  {
    // Tests read JSON printed by the CLI and the server: typing every parsed value would be noise, not safety.
    files: ["tests/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
