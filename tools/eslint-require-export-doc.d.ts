// Types of the local ESLint plugin, for the test that imports it (the plugin itself is plain JS, loaded by eslint.config.js).
import type { ESLint } from "eslint";

declare const plugin: ESLint.Plugin;
export default plugin;
