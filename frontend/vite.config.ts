import { defineConfig } from "vitest/config";

// `npm run build` writes dist/, which `opvang serve` serves at / (api/main.py, DashboardFiles).
// static/ (config.js, favicon) is copied as-is: frontend/public is the server's placeholder
// page for when no dist exists, so it is not Vite's public directory.
export default defineConfig({
  publicDir: "static",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: true,
    chunkSizeWarningLimit: 250,
    // dist/.vite/manifest.json: which chunks the first screen loads (e2e/budget.mjs).
    manifest: true,
  },
  server: {
    // `npm run dev` against a locally running `opvang serve`.
    proxy: { "/api": "http://127.0.0.1:8000" },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "jsdom",
  },
});
