// Types of budget.mjs, for the Vitest check (tests/budget.test.ts).
export declare const BUDGET_BYTES: number;
export declare const FIRST_SCREEN_ROUTES: string[];
export interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
export declare function firstScreenFiles(
  manifest: Record<string, ManifestChunk>,
  routes?: string[],
): string[];
export declare function gzippedSize(bytes: Uint8Array): number;
export interface Measure {
  files: { file: string; gzip: number }[];
  total: number;
  budget: number;
}
export declare function measure(dist: string): Measure;
export declare function measureBuilt(): Measure | null;
