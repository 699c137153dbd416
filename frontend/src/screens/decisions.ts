// Besluiten: every decision about a location with its conditions, for the roles that read
// them (the viewer reads no location pages). Staff evaluate conditions here too; decisions
// are added on the location's page.

import { t } from "../i18n";
import type { ScreenContext } from "../screen";
import { pageTitle } from "../ui";
import { decisionsSection } from "./decisions-view";

export function render(ctx: ScreenContext): Promise<void> {
  ctx.setTitle(t("decisions.screenTitle"));
  const role = ctx.session?.role ?? "";
  const acts = role === "admin" || role === "coordinator";
  ctx.main.append(pageTitle(t("decisions.screenTitle")), decisionsSection({ acts }));
  requestAnimationFrame(() => ctx.ready());
  return Promise.resolve();
}
