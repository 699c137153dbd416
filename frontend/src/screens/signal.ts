// One signal: its details, its follow-up actions, a form to add one and to move its status.

import { ApiError, get, patch, post } from "../api";
import { append, h, onSubmit } from "../dom";
import { clearProblems, errorSummary, showProblems, values } from "../forms";
import { formatDateTime, label, t } from "../i18n";
import { worksSignals } from "../roles";
import type { ScreenContext } from "../screen";
import { SIGNAL_STATUSES, type Location, type Signal, type SignalAction } from "../types";
import { alertBox, errorBox, field, heading, link, optionList, pageTitle, paragraph } from "../ui";

export async function render(ctx: ScreenContext): Promise<void> {
  const id = ctx.params.id!;
  ctx.setTitle(t("signals.title"));
  const back = paragraph(link("/signalen", t("common.back")));
  let signal: Signal;
  try {
    signal = await get<Signal>(`/signals/${id}`);
  } catch (error) {
    if (!ctx.alive()) return;
    const notFound = error instanceof ApiError && error.status === 404;
    ctx.main.append(
      back,
      pageTitle(notFound ? t("common.notFound") : t("signals.title")),
      notFound ? paragraph(t("common.notFoundText")) : errorBox(error),
    );
    return;
  }
  let locationName = t("signals.noLocation");
  if (signal.locationId) {
    locationName = await get<Location>(`/locations/${signal.locationId}`).then(
      (l) => l.name,
      () => t("common.none"),
    );
  }
  if (!ctx.alive()) return;
  ctx.setTitle(signal.summary);

  const facts = h("dl", { class: "utrecht-data-list facts" });
  const actionList = h("ol", { class: "actions-list" });
  const drawFacts = () => {
    facts.replaceChildren(
      ...[
        [t("signals.status"), label("signalStatus", signal.status)],
        [t("signals.reportedAt"), formatDateTime(signal.reportedAt)],
        [t("signals.source"), label("signalSource", signal.source)],
        [t("signals.category"), label("signalCategory", signal.category)],
        [t("signals.severity"), label("severity", signal.severity)],
        [t("signals.location"), locationName],
        [t("signals.overdue"), signal.overdue ? t("common.yes") : t("common.no")],
      ].map(([k, v]) =>
        h(
          "div",
          { class: "utrecht-data-list__item" },
          h("dt", { class: "utrecht-data-list__item-key" }, k),
          h(
            "dd",
            { class: "utrecht-data-list__item-value utrecht-data-list__item-value--html-dd" },
            v,
          ),
        ),
      ),
    );
    const actions = signal.actions ?? [];
    actionList.replaceChildren(
      ...(actions.length === 0
        ? [h("li", {}, t("signals.noActions"))]
        : actions.map((a: SignalAction) =>
            h(
              "li",
              {},
              h(
                "p",
                { class: "utrecht-paragraph action-meta" },
                formatDateTime(a.createdAt),
                " — ",
                t("signals.by", { who: a.authorRole ? label("role", a.authorRole) : a.authorType }),
              ),
              h("p", { class: "utrecht-paragraph" }, a.note),
            ),
          )),
    );
  };
  drawFacts();

  append(ctx.main, [
    back,
    pageTitle(signal.summary),
    ctx.query.get("created") ? alertBox("ok", paragraph(t("signals.registered"))) : null,
    signal.overdue ? alertBox("warning", paragraph(t("signals.overdue"))) : null,
    h(
      "section",
      { class: "card", "aria-labelledby": "sig-d" },
      heading(2, t("signals.details"), { id: "sig-d" }),
      facts,
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "sig-a" },
      heading(2, t("signals.actions"), { id: "sig-a" }),
      actionList,
    ),
  ]);
  if (!worksSignals(ctx.session?.role ?? "")) {
    ctx.ready();
    return;
  }

  // Add a follow-up action.
  const note = field({ name: "note", label: t("signals.note"), required: true, multiline: true });
  const noteSummary = errorSummary();
  const noteDone = h("div", { "aria-live": "polite" });
  const noteForm = h(
    "form",
    { novalidate: true, "data-testid": "action-form" },
    noteSummary,
    note.wrap,
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
      t("signals.addAction"),
    ),
  );
  onSubmit(noteForm, async (e) => {
    e.preventDefault();
    clearProblems([note], noteSummary);
    noteDone.replaceChildren();
    try {
      await post<SignalAction>(`/signals/${id}/actions`, values([note]));
      signal = await get<Signal>(`/signals/${id}`);
      note.control.value = "";
      drawFacts();
      noteDone.replaceChildren(alertBox("ok", paragraph(t("signals.actionAdded"))));
    } catch (error) {
      showProblems([note], noteSummary, error);
    }
  });

  // Move the status.
  const statusField = field({
    name: "status",
    label: t("signals.status"),
    options: optionList(SIGNAL_STATUSES, (v) => label("signalStatus", v)),
    value: signal.status,
  });
  const statusSummary = errorSummary();
  const statusForm = h(
    "form",
    { novalidate: true },
    statusSummary,
    statusField.wrap,
    h(
      "button",
      { type: "submit", class: "utrecht-button utrecht-button--secondary-action" },
      t("common.save"),
    ),
  );
  onSubmit(statusForm, async (e) => {
    e.preventDefault();
    clearProblems([statusField], statusSummary);
    try {
      signal = await patch<Signal>(`/signals/${id}`, values([statusField]), signal.version);
      drawFacts();
      statusSummary.hidden = false;
      statusSummary.replaceChildren(
        alertBox(
          "ok",
          paragraph(t("signals.setStatus") + ": " + label("signalStatus", signal.status)),
        ),
      );
    } catch (error) {
      showProblems([statusField], statusSummary, error);
    }
  });

  ctx.main.append(
    h(
      "section",
      { class: "card", "aria-labelledby": "sig-add" },
      heading(2, t("signals.addAction"), { id: "sig-add" }),
      noteDone,
      noteForm,
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "sig-st" },
      heading(2, t("signals.setStatus"), { id: "sig-st" }),
      statusForm,
    ),
  );
  ctx.ready();
}
