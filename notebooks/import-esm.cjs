// tslab runs each cell with vm.runInThisContext and compiles `import()` to require(), and require()
// cannot load an ES module graph with a top-level await (vega has one). A real CommonJS file keeps a
// native import(), which Node resolves with its default ESM loader. Used by model_exploration.ipynb.
"use strict";
const { pathToFileURL } = require("node:url");
const path = require("node:path");

/** Import an ES module by path (relative to the current directory) or URL. */
module.exports = function importEsm(specifier) {
  const url = /^[a-z]+:/i.test(specifier) ? specifier : pathToFileURL(path.resolve(specifier)).href;
  return import(url);
};
