// A local ESLint rule (no plugin dependency): every exported declaration in src/ has a doc comment (`/** ... */`)
// directly above it. TypeDoc's `validation.notDocumented` checks what src/index.ts exports, field by field; this rule
// covers the internal modules' exports too, which TypeDoc never sees.

/** @type {import("eslint").Rule.RuleModule} */
const rule = {
  meta: {
    type: "suggestion",
    docs: { description: "require a /** doc comment */ on every exported declaration" },
    schema: [],
    messages: { missing: "exported {{kind}} {{name}} has no doc comment (/** what it is and why it exists */)" },
  },
  create(context) {
    const source = context.sourceCode;
    const documented = (node) => {
      const before = source.getCommentsBefore(node);
      const last = before[before.length - 1];
      return last !== undefined && last.type === "Block" && last.value.startsWith("*");
    };
    const nameOf = (d) => {
      if (d.id?.name) return d.id.name;
      if (d.type === "VariableDeclaration") return d.declarations.map((v) => v.id.name ?? "?").join(", ");
      return "default";
    };
    // Overloads: the doc comment goes on the first signature; the others share it.
    let previousFunction = null;
    const check = (node) => {
      const d = node.declaration;
      if (!d) return; // `export { a } from "./b"`: documented where it is declared
      const name = nameOf(d);
      const isFunction = d.type === "TSDeclareFunction" || d.type === "FunctionDeclaration";
      const overload = isFunction && previousFunction === name;
      previousFunction = isFunction ? name : null;
      if (overload || documented(node)) return;
      context.report({ node, messageId: "missing", data: { kind: d.type.replace(/^TS|Declaration$/g, ""), name } });
    };
    return { ExportNamedDeclaration: check, ExportDefaultDeclaration: check };
  },
};

export default { rules: { "require-export-doc": rule } };
