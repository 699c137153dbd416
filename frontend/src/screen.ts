// What a screen module gets from the shell.

import type { Session } from "./api";

export interface ScreenContext {
  main: HTMLElement;
  params: Record<string, string>;
  query: URLSearchParams;
  session: Session | null;
  /** false once the user has navigated away: a late answer must not draw */
  alive: () => boolean;
  /** the document title, and what the route announcement says */
  setTitle: (title: string) => void;
  /** called when the first screen's charts are drawn (the bench waits for it) */
  ready: () => void;
}

export interface ScreenModule {
  render: (ctx: ScreenContext) => Promise<void> | void;
}
