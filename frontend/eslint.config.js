// ESLint (flat config) with typescript-eslint's type-checked recommendations: they catch what
// matters in a dashboard full of async event handlers (a promise nobody awaits, an async
// function where a void callback is expected). Formatting is Prettier's job, not ESLint's.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "e2e/artifacts/", "src/api-types.gen.ts"] },
  js.configs.recommended,
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.browser,
    },
    rules: {
      // `_name`: a parameter that is there for its type only (types.ts, `every`).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  { files: ["static/**/*.js"], languageOptions: { globals: globals.browser } },
  {
    // The end-to-end tests and the benchmark run in Node, driving Chromium; the functions
    // they hand to `page.evaluate` run in the page.
    files: ["e2e/**/*.mjs"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  { files: ["*.config.js"], languageOptions: { globals: globals.node } },
);
