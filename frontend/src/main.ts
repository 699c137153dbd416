import "@utrecht/component-library-css/dist/index.css";
import "@utrecht/design-tokens/dist/theme.css";
import "./styles.css";
import "./polish.css";
import "./print.css";

import {
  get,
  getSession,
  onActivity,
  onReachability,
  resumeSession,
  setReauthenticate,
  signIn,
  signOut,
} from "./api";
import { leaveScreen } from "./lifecycle";
import { clear, h, onSubmit } from "./dom";
import { formatDate, getLang, initLang, label, onLangChange, setLang, t } from "./i18n";
import { canSee, homeFor, navGroupsFor, SCREEN_PATHS, type ScreenId } from "./roles";
import { matchRoute, navigate, startRouter, type RouteDef } from "./router";
import type { ScreenContext, ScreenModule } from "./screen";
import { hideOutage, outageElement, outageKind, setOutageHandlers, showOutage } from "./outage";
import { signInProblem } from "./problems";
import { alertBox, errorText, holdProgress, link, pageTitle, paragraph, skeleton } from "./ui";

interface Route extends RouteDef {
  screen: ScreenId | null; // null: no sign-in needed
  load: () => Promise<ScreenModule>;
}

const ROUTES: Route[] = [
  { name: "public", pattern: "/publiek", screen: null, load: () => import("./screens/public") },
  { name: "signin", pattern: "/inloggen", screen: null, load: () => import("./screens/signin") },
  {
    name: "overview",
    pattern: "/overzicht",
    screen: "overview",
    load: () => import("./screens/overview"),
  },
  {
    name: "locations",
    pattern: "/locaties",
    screen: "locations",
    load: () => import("./screens/locations"),
  },
  {
    name: "location",
    pattern: "/locaties/:id",
    screen: "locations",
    load: () => import("./screens/location"),
  },
  {
    name: "imports",
    pattern: "/importeren",
    screen: "imports",
    load: () => import("./screens/imports"),
  },
  {
    name: "signals",
    pattern: "/signalen",
    screen: "signals",
    load: () => import("./screens/signals"),
  },
  {
    name: "signal",
    pattern: "/signalen/:id",
    screen: "signals",
    load: () => import("./screens/signal"),
  },
  {
    name: "participants",
    pattern: "/deelnemers",
    screen: "participants",
    load: () => import("./screens/participants"),
  },
  {
    name: "participant",
    pattern: "/deelnemers/:id",
    screen: "participants",
    load: () => import("./screens/participants"),
  },
  {
    name: "activities",
    pattern: "/activiteiten",
    screen: "activities",
    load: () => import("./screens/activities"),
  },
  {
    name: "activity",
    pattern: "/activiteiten/:id",
    screen: "activities",
    load: () => import("./screens/activities"),
  },
  {
    name: "finance",
    pattern: "/financien",
    screen: "finance",
    load: () => import("./screens/finance"),
  },
  {
    name: "rates",
    pattern: "/financien/tarieven",
    screen: "finance",
    load: () => import("./screens/finance-rates"),
  },
  { name: "goals", pattern: "/doelen", screen: "goals", load: () => import("./screens/goals") },
  {
    name: "pipeline",
    pattern: "/locatiezoektocht",
    screen: "pipeline",
    load: () => import("./screens/pipeline"),
  },
  {
    name: "pipelineCriteria",
    pattern: "/locatiezoektocht/criteria",
    screen: "pipeline",
    load: () => import("./screens/pipeline-criteria"),
  },
  {
    name: "pipelineCandidate",
    pattern: "/locatiezoektocht/:id",
    screen: "pipeline",
    load: () => import("./screens/pipeline-candidate"),
  },
  {
    name: "begroting",
    pattern: "/begroting",
    screen: "begroting",
    load: () => import("./screens/begroting"),
  },
  {
    name: "capacityPlan",
    pattern: "/capaciteitsplan",
    screen: "capacityPlan",
    load: () => import("./screens/capacity-plan"),
  },
  {
    name: "forecast",
    pattern: "/prognose",
    screen: "forecast",
    load: () => import("./screens/forecast"),
  },
  {
    name: "scenarios",
    pattern: "/scenarios",
    screen: "scenarios",
    load: () => import("./screens/scenarios"),
  },
  {
    name: "claim",
    pattern: "/financien/declaraties/:id",
    screen: "finance",
    load: () => import("./screens/finance"),
  },
  {
    name: "council",
    pattern: "/raadsrapportage",
    screen: "council",
    load: () => import("./screens/council-report"),
  },
];

const app = document.getElementById("app")!;
let main: HTMLElement;
let announcer: HTMLElement;
let renderSeq = 0;
let firstRender = true;
let stopProgress: (() => void) | null = null;

function homePath(): string {
  const session = getSession();
  const home = session ? homeFor(session.role) : null;
  return home ? SCREEN_PATHS[home] : "/inloggen";
}

function currentRoute(): Route | undefined {
  const m = matchRoute(ROUTES, location.pathname);
  return m ? ROUTES.find((r) => r.name === m.name) : undefined;
}

function renderShell(): void {
  clear(app);
  const session = getSession();
  const route = currentRoute();
  const isPublic = route?.name === "public" || !session;
  const skip = document.getElementById("skip-link");
  if (skip) skip.textContent = t("app.skip");

  const other = getLang() === "nl" ? "en" : "nl";
  const langButton = h(
    "button",
    {
      type: "button",
      class: "utrecht-button utrecht-button--subtle lang-switch",
      lang: other,
      "data-testid": "lang-switch",
      onclick: () => setLang(other),
    },
    t("lang.switch"),
  );
  const tools = h("div", { class: "site-header__tools" }, langButton);
  if (session) {
    tools.prepend(
      h(
        "span",
        { class: "site-header__user", "data-testid": "signed-in-as" },
        t("auth.signedInAs", { email: session.email, role: label("role", session.role) }),
      ),
    );
    tools.append(
      h(
        "button",
        {
          type: "button",
          class: "utrecht-button utrecht-button--secondary-action",
          onclick: () => void signOut().then(() => navigate("/inloggen")),
        },
        t("auth.signOut"),
      ),
    );
  }
  const header = h(
    "header",
    { class: "utrecht-page-header site-header" },
    h(
      "div",
      { class: "site-header__inner" },
      h(
        "a",
        { class: "site-header__brand", href: session ? homePath() : "/publiek" },
        h("span", { class: "site-header__municipality" }, t("app.municipality")),
        h("span", { class: "site-header__app" }, t("app.subtitle")),
      ),
      tools,
      // On paper only: when this was printed (print.css).
      h(
        "p",
        { class: "print-only site-header__printed" },
        t("polish.printed", { date: formatDate(new Date().toISOString()) }),
      ),
    ),
    outageElement(),
  );

  let nav: HTMLElement | null = null;
  if (session && !isPublic) {
    // Grouped, every link visible: daily work, the neighbourhood, money and steering.
    const groups = navGroupsFor(session.role).map((group) =>
      h(
        "div",
        { class: "site-nav__group" },
        h(
          "span",
          { class: "site-nav__label", id: `nav-group-${group.id}` },
          t(`nav.group.${group.id}`),
        ),
        h(
          "ul",
          { class: "utrecht-nav-list", "aria-labelledby": `nav-group-${group.id}` },
          group.screens.map((id) =>
            h(
              "li",
              { class: "utrecht-nav-list__item" },
              h(
                "a",
                { class: "utrecht-nav-list__link", href: SCREEN_PATHS[id], "data-screen": id },
                t(`nav.${id}`),
              ),
            ),
          ),
        ),
      ),
    );
    nav = h(
      "nav",
      {
        class: "utrecht-nav-bar site-nav",
        "aria-label": t("nav.label"),
        "data-testid": "main-nav",
      },
      h("div", { class: "utrecht-nav-bar__content site-nav__groups" }, groups),
    );
  }

  main = h("main", { id: "main", class: "utrecht-page-content site-main", tabindex: "-1" });
  announcer = h("div", {
    class: "visually-hidden",
    "aria-live": "polite",
    "data-testid": "announcer",
  });
  const footer = h(
    "footer",
    { class: "utrecht-page-footer site-footer" },
    h(
      "div",
      { class: "site-footer__inner" },
      h("p", { class: "utrecht-paragraph" }, t("app.footer")),
      session && route?.name !== "public"
        ? h("p", { class: "utrecht-paragraph" }, link("/publiek", t("nav.public")))
        : null,
    ),
  );
  app.append(h("div", { class: "utrecht-page-layout site" }, header, nav, main, footer, announcer));
}

function markCurrentNav(screen: ScreenId | null): void {
  for (const a of app.querySelectorAll<HTMLAnchorElement>("a[data-screen]")) {
    if (a.dataset.screen === screen) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

async function renderRoute(): Promise<void> {
  const seq = ++renderSeq;
  stopProgress?.();
  stopProgress = null;
  leaveScreen();
  delete document.body.dataset.ready;
  const match = matchRoute(ROUTES, location.pathname);
  const session = getSession();

  if (!match || location.pathname === "/") {
    if (location.pathname === "/") return navigate(homePath(), true);
    renderShell();
    show(
      pageTitle(t("common.notFound")),
      paragraph(t("common.notFoundText")),
      paragraph(link(homePath(), t("common.toHome"))),
    );
    document.body.dataset.ready = "not-found";
    finish(seq, t("common.notFound"));
    return;
  }
  const route = ROUTES.find((r) => r.name === match.name)!;
  if (route.screen && !session) {
    const next = encodeURIComponent(location.pathname + location.search);
    return navigate(`/inloggen?next=${next}`, true);
  }
  if (route.name === "signin" && session) return navigate(homePath(), true);
  renderShell();
  markCurrentNav(route.screen);
  if (route.screen && session && !canSee(session.role, route.screen)) {
    show(pageTitle(t("common.forbidden")), paragraph(link(homePath(), t("common.toHome"))));
    document.body.dataset.ready = "forbidden";
    finish(seq, t("common.forbidden"));
    return;
  }
  // A bar at the top and grey blocks where the screen will come, until it is drawn.
  stopProgress = holdProgress();
  show(skeleton(5, { title: true }));
  let title = t("app.title");
  const ctx: ScreenContext = {
    main,
    params: match.params,
    query: new URLSearchParams(location.search),
    session,
    alive: () => seq === renderSeq,
    setTitle: (text) => {
      title = text;
      document.title = `${text} — ${t("app.title")}`;
    },
    ready: () => {
      if (seq !== renderSeq) return;
      document.body.dataset.ready = route.name;
      performance.mark("opvang:ready");
    },
  };
  let module: ScreenModule;
  try {
    module = await route.load();
  } catch {
    // The screen's code chunk did not arrive (connection lost, a new release): say so, and
    // "Probeer opnieuw" in the outage banner loads it again.
    if (seq !== renderSeq) return;
    show(pageTitle(t("app.title")), alertBox("error", paragraph(t("outage.chunk"))));
    showOutage("chunk");
    document.body.dataset.ready = "error";
    finish(seq, title);
    return;
  }
  hideOutage("chunk");
  try {
    if (seq !== renderSeq) return;
    clear(main);
    await module.render(ctx);
  } catch (error) {
    if (seq !== renderSeq) return;
    clear(main);
    show(pageTitle(t("app.title")), alertBox("error", paragraph(errorText(error))));
    document.body.dataset.ready = "error";
  }
  finish(seq, title);
}

function show(...nodes: Node[]): void {
  clear(main);
  main.append(...nodes);
}

/** After a route change: title, an announcement, and focus on the new page's h1, so a
 * screen reader or keyboard user starts at the top of the new content. */
function finish(seq: number, title: string): void {
  if (seq !== renderSeq) return;
  stopProgress?.();
  stopProgress = null;
  document.title = `${title} — ${t("app.title")}`;
  if (firstRender) {
    firstRender = false;
    return;
  }
  announcer.textContent = t("common.loaded", { title });
  const h1 = main.querySelector<HTMLElement>("[data-page-title]") ?? main;
  h1.focus();
}

// --- signing in again without losing the page -----------------------------

function reauthenticate(): Promise<void> {
  return new Promise((resolve) => {
    const previous = getSession();
    const email = h("input", {
      id: "reauth-email",
      name: "username",
      type: "email",
      autocomplete: "username",
      required: true,
      class: "utrecht-textbox utrecht-textbox--html-input",
      value: previous?.email ?? "",
    });
    const password = h("input", {
      id: "reauth-password",
      name: "password",
      type: "password",
      autocomplete: "current-password",
      required: true,
      class: "utrecht-textbox utrecht-textbox--html-input",
    });
    const message = h("div", { "aria-live": "assertive" });
    const form = h(
      "form",
      { method: "dialog", class: "reauth-form" },
      h("h2", { class: "utrecht-heading-2", id: "reauth-title" }, t("auth.expiredTitle")),
      paragraph(t("auth.expiredText")),
      message,
      h(
        "div",
        { class: "utrecht-form-field" },
        h("label", { class: "utrecht-form-label", for: "reauth-email" }, t("auth.email")),
        email,
      ),
      h(
        "div",
        { class: "utrecht-form-field" },
        h("label", { class: "utrecht-form-label", for: "reauth-password" }, t("auth.password")),
        password,
      ),
      h(
        "button",
        { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
        t("auth.signIn"),
      ),
    );
    const dialog = h(
      "dialog",
      { class: "reauth-dialog", "aria-labelledby": "reauth-title", "data-testid": "reauth-dialog" },
      form,
    );
    // The dialog only closes by signing in: the page behind it keeps what was typed.
    dialog.addEventListener("cancel", (e) => e.preventDefault());
    onSubmit(form, async (event) => {
      event.preventDefault();
      clear(message);
      try {
        await signIn(email.value.trim(), password.value);
        dialog.close();
        dialog.remove();
        resolve();
      } catch (error) {
        message.append(alertBox("error", paragraph(signInProblem(error))));
        password.focus();
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    (previous?.email ? password : email).focus();
  });
}

// --- the outage banner -------------------------------------------------------

/** "Probeer opnieuw": ask the API; when it answers, redraw a screen that could not load
 * (a screen showing a form is left as it is, so what was typed stays). */
async function retryAfterOutage(): Promise<void> {
  try {
    await get("/health", undefined, false);
  } catch {
    return; // still down: the banner stays (the reachability listener keeps it)
  }
  if (outageKind() === "chunk" || document.body.dataset.ready === "error") await renderRoute();
}

// While any request is under way, the bar at the top of the page shows it (loading.ts).
let releaseActivity: (() => void) | null = null;
onActivity((pending) => {
  if (pending > 0) releaseActivity ??= holdProgress(300);
  else {
    releaseActivity?.();
    releaseActivity = null;
  }
});

initLang();
setOutageHandlers({
  retry: retryAfterOutage,
  announce: (text) => {
    if (announcer) announcer.textContent = text;
  },
});
onReachability((reachable) => (reachable ? hideOutage("api") : showOutage("api")));
setReauthenticate(reauthenticate);
onLangChange(() => void renderRoute());
// A sign-in from before a reload, or from another tab, continues (the refresh cookie).
void resumeSession().finally(() => startRouter(() => void renderRoute()));
