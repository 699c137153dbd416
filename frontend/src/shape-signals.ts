// Pure shaping for the signals screens (screens/signals.ts, screens/signal.ts): the list's
// filters from the address to the API's query, and which follow-up moves a signal offers.
// No DOM; unit-tested in tests/shape-signals.test.ts.

/** The filters a signals address may carry (`/signalen?overdue=true&owner=me`). */
export const SIGNAL_FILTERS = [
  "status",
  "severity",
  "category",
  "locationId",
  "overdue",
  "owner",
] as const;

/** The address's filters as the API's query: unknown or empty values are left out, so a
 * hand-edited address cannot make the list fail. */
export function signalListQuery(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = { sort: "-reportedAt" };
  for (const key of SIGNAL_FILTERS) {
    const value = params.get(key)?.trim() ?? "";
    if (!value) continue;
    if (key === "overdue" && value !== "true" && value !== "false") continue;
    query[key] = value;
  }
  return query;
}

export type FollowUp = "pickUp" | "resolve" | "reopen";

/** What the follow-up panel offers: pick up (open, or nobody owns it), resolve (not yet
 * resolved), reopen (resolved). `mine`: the signal is the caller's already. */
export function followUps(status: string, mine: boolean): FollowUp[] {
  if (status === "resolved") return ["reopen"];
  const moves: FollowUp[] = [];
  if (status === "open" || !mine) moves.push("pickUp");
  moves.push("resolve");
  return moves;
}

/** The staff user with this e-mail address (case as typed at sign-in may differ). */
export function ownerIdOf(owners: { id: string; email: string }[], email: string): string | null {
  const wanted = email.trim().toLowerCase();
  return owners.find((o) => o.email.toLowerCase() === wanted)?.id ?? null;
}
