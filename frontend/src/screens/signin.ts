// Inloggen: the OAuth 2 password grant. The token stays in memory (api.ts).

import { ApiError, signIn } from "../api";
import { clear, h, onSubmit } from "../dom";
import { t } from "../i18n";
import { homeFor, SCREEN_PATHS } from "../roles";
import { navigate } from "../router";
import { signInProblem } from "../problems";
import type { ScreenContext } from "../screen";
import { alertBox, field, link, pageTitle, paragraph } from "../ui";

export function render(ctx: ScreenContext): void {
  ctx.setTitle(t("auth.signIn"));
  const email = field({
    name: "username",
    label: t("auth.email"),
    type: "email",
    required: true,
    autocomplete: "username",
  });
  const password = field({
    name: "password",
    label: t("auth.password"),
    type: "password",
    required: true,
    autocomplete: "current-password",
  });
  const message = h("div", { "aria-live": "assertive", "data-testid": "signin-message" });
  const submit = h(
    "button",
    { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
    t("auth.signIn"),
  );
  const form = h(
    "form",
    { class: "signin-form", novalidate: true },
    message,
    email.wrap,
    password.wrap,
    submit,
  );
  onSubmit(form, async (event) => {
    event.preventDefault();
    clear(message);
    submit.disabled = true;
    try {
      const session = await signIn(email.control.value.trim(), password.control.value);
      const next = ctx.query.get("next");
      const home = homeFor(session.role);
      // Only a path inside this app, never an absolute URL (no open redirect).
      const safeNext = next && next.startsWith("/") && !next.startsWith("//") ? next : null;
      navigate(safeNext ?? (home ? SCREEN_PATHS[home] : "/publiek"), true);
    } catch (error) {
      submit.disabled = false;
      message.append(alertBox("error", paragraph(signInProblem(error))));
      // Clear the password only when it was wrong: after an outage or a lockout it may be
      // right, and retyping it invites the next failed attempt.
      const wrong = error instanceof ApiError && (error.status === 400 || error.status === 401);
      if (wrong) password.control.value = "";
      (wrong ? password.control : submit).focus();
    }
  });
  ctx.main.append(
    h(
      "div",
      { class: "narrow" },
      pageTitle(t("auth.signIn")),
      paragraph(t("auth.signInIntro")),
      form,
      paragraph(link("/publiek", t("auth.publicLink"))),
    ),
  );
}
