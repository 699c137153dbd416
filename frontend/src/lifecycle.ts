// Work to undo when the user leaves a screen (charts hold resize observers). Kept apart
// from charts.ts so the shell does not pull Chart.js into the first download.

const cleanups = new Set<() => void>();

export function onLeave(fn: () => void): void {
  cleanups.add(fn);
}

export function leaveScreen(): void {
  for (const fn of cleanups) fn();
  cleanups.clear();
}
