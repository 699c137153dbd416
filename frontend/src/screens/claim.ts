// One reimbursement claim: its figures, its lines, its status history, the status moves
// this role may make (only finance moves claims; the pay move asks what was received and
// when), and a recalculation that shows the difference line by line and can file it as
// a correction claim. While a claim is a draft, finance and admin may set the amount it
// claims (PATCH with If-Match; the API's errors at the field).

import { ApiError, get, patch, request } from "../api";
import { append, h, onSubmit } from "../dom";
import {
  clearProblems,
  errorSummary,
  isStale,
  showLocalProblems,
  showMessage,
  showProblems,
  values,
} from "../forms";
import { formatDate, formatDateTime, label, t } from "../i18n";
import { formatMoney, moneyInput, parseMoney } from "../money";
import type { ScreenContext } from "../screen";
import {
  canRecalculate,
  canSetClaimedAmount,
  claimedAmountChange,
  type ClaimMove,
  claimMoves,
} from "../shape-finance";
import type { Claim, ClaimLine, Recalculation } from "../types";
import { confirmMove, moveConfirmation } from "./finance-confirm";
import { schemeLabel } from "./finance-words";
import {
  alertBox,
  button,
  errorBox,
  field,
  heading,
  link,
  pageTitle,
  paragraph,
  table,
} from "../ui";

export async function render(ctx: ScreenContext): Promise<void> {
  const id = ctx.params.id!;
  const role = ctx.session?.role ?? "";
  ctx.setTitle(t("finance.claim"));
  const back = paragraph(link("/financien", t("finance.back")));
  if (role !== "finance" && role !== "admin") {
    ctx.main.append(back, pageTitle(t("common.forbidden")));
    ctx.ready();
    return;
  }
  let claim: Claim;
  let lines: ClaimLine[];
  try {
    [claim, lines] = await Promise.all([
      get<Claim>(`/reimbursement-claims/${id}`),
      get<{ items: ClaimLine[] }>(`/reimbursement-claims/${id}/lines`).then((r) => r.items),
    ]);
  } catch (error) {
    if (!ctx.alive()) return;
    const notFound = error instanceof ApiError && error.status === 404;
    ctx.main.append(
      back,
      pageTitle(notFound ? t("common.notFound") : t("finance.claim")),
      notFound ? paragraph(t("common.notFoundText")) : errorBox(error),
    );
    return;
  }
  if (!ctx.alive()) return;

  const titleText = () =>
    t("finance.claimTitle", {
      scheme: claim.schemeCode,
      from: formatDate(claim.periodStart),
      to: formatDate(claim.periodEnd),
    });
  const title = pageTitle(titleText());
  ctx.setTitle(titleText());
  const facts = h("dl", { class: "utrecht-data-list facts", "data-testid": "claim-facts" });
  const linesBox = h("div");
  const historyBox = h("div");
  const movesBox = h("div", { "data-testid": "claim-moves" });
  const done = h("div", { "aria-live": "polite", "data-testid": "claim-done" });

  const draw = () => {
    title.textContent = titleText();
    const rows: [string, Node | string][] = [
      [
        t("finance.status"),
        h("strong", { "data-testid": "claim-status" }, label("claimStatus", claim.status)),
      ],
      [t("finance.scheme"), `${schemeLabel(claim.schemeCode)} (${claim.schemeCode})`],
      [t("finance.period"), `${formatDate(claim.periodStart)} – ${formatDate(claim.periodEnd)}`],
      [t("finance.totalAmount"), formatMoney(claim.totalAmount)],
      [t("finance.claimedAmount"), formatMoney(claim.claimedAmount)],
      [t("finance.receivedAmount"), formatMoney(claim.receivedAmount)],
      [t("finance.receivedOn"), formatDate(claim.receivedOn)],
      [t("finance.computedAt"), formatDateTime(claim.computedAt)],
      [
        t("finance.frozenAt"),
        claim.frozenAt ? formatDateTime(claim.frozenAt) : t("finance.notFrozen"),
      ],
    ];
    if (claim.correctsClaimId)
      rows.push([
        t("finance.corrects"),
        link(`/financien/declaraties/${claim.correctsClaimId}`, t("finance.correctedClaim")),
      ]);
    if (claim.note) rows.push([t("finance.note"), claim.note]);
    facts.replaceChildren(
      ...rows.map(([k, v]) =>
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
    linesBox.replaceChildren(
      lines.length === 0
        ? paragraph(t("finance.noLines"))
        : table(
            t("finance.caption.lines"),
            [
              { header: t("finance.location"), cell: (l) => l.locationName },
              { header: t("finance.rateFrom"), cell: (l) => formatDate(l.rateFrom) },
              { header: t("finance.rateTo"), cell: (l) => formatDate(l.rateTo) },
              {
                header: t("finance.units"),
                cell: (l) => l.units.toLocaleString("nl-NL"),
                numeric: true,
              },
              { header: t("finance.rate"), cell: (l) => formatMoney(l.rate), numeric: true },
              { header: t("finance.amount"), cell: (l) => formatMoney(l.amount), numeric: true },
            ],
            lines,
          ),
    );
    const history = claim.statusHistory ?? [];
    historyBox.replaceChildren(
      history.length === 0
        ? paragraph(t("common.none"))
        : table(
            t("finance.caption.history"),
            [
              { header: t("finance.at"), cell: (s) => formatDateTime(s.at) },
              {
                header: t("finance.from"),
                cell: (s) =>
                  s.fromStatus ? label("claimStatus", s.fromStatus) : t("finance.created"),
              },
              { header: t("finance.to"), cell: (s) => label("claimStatus", s.toStatus) },
              { header: t("finance.note"), cell: (s) => s.note ?? t("common.none") },
            ],
            history,
          ),
    );
    drawMoves();
    drawAmount();
  };

  // --- the claimed amount (draft only) ---
  const amountDone = h("div", { "aria-live": "polite", "data-testid": "claimed-done" });
  const amountSummary = errorSummary();
  const amountField = field({
    name: "claimedAmount",
    label: t("finance.claimedAmount"),
    description: t("finance.claimedHint"),
  });
  amountField.control.setAttribute("inputmode", "decimal");
  const amountIntro = paragraph();
  const amountSubmit = h(
    "button",
    { type: "submit", class: "utrecht-button utrecht-button--primary-action" },
    t("finance.saveClaimed"),
  );
  const amountForm = h(
    "form",
    { novalidate: true, "data-testid": "claimed-form", "aria-labelledby": "cl-ca" },
    amountIntro,
    amountField.wrap,
    amountSubmit,
  );
  const amountBox = h(
    "div",
    { class: "subsection" },
    heading(3, t("finance.setClaimed"), { id: "cl-ca" }),
    amountSummary,
    amountForm,
  );
  function drawAmount(): void {
    const open = canSetClaimedAmount(claim.status, role);
    amountBox.hidden = !open;
    amountIntro.textContent = t("finance.setClaimedIntro", {
      total: formatMoney(claim.totalAmount),
    });
    amountField.control.value = moneyInput(claim.claimedAmount);
  }
  async function reloadClaim(): Promise<void> {
    [claim, lines] = await Promise.all([
      get<Claim>(`/reimbursement-claims/${id}`),
      get<{ items: ClaimLine[] }>(`/reimbursement-claims/${id}/lines`).then((r) => r.items),
    ]);
    draw();
  }
  onSubmit(amountForm, async (e) => {
    e.preventDefault();
    const fields = [amountField];
    clearProblems(fields, amountSummary);
    amountDone.replaceChildren();
    const shaped = claimedAmountChange(claim.claimedAmount, amountField.control.value);
    if (shaped.invalid.length) {
      showLocalProblems(fields, amountSummary, [
        { name: "claimedAmount", detail: t("finance.amountInvalid") },
      ]);
      return;
    }
    if (Object.keys(shaped.body).length === 0) {
      amountDone.replaceChildren(alertBox("info", paragraph(t("finance.noChanges"))));
      return;
    }
    amountSubmit.disabled = true;
    try {
      claim = await patch<Claim>(`/reimbursement-claims/${id}`, shaped.body, claim.version);
      draw();
      amountDone.replaceChildren(
        alertBox(
          "ok",
          paragraph(
            claim.claimedAmount === null
              ? t("finance.claimedCleared")
              : t("finance.claimedSaved", { amount: formatMoney(claim.claimedAmount) }),
          ),
        ),
      );
    } catch (error) {
      const stale = isStale(error);
      const refused = error instanceof ApiError && error.status === 409;
      if (stale || refused) {
        // Changed (or filed) since it was read: show the stored claim, then say why.
        try {
          await reloadClaim();
        } catch (reloadError) {
          showProblems(fields, amountSummary, reloadError);
          return;
        }
        const text = stale
          ? t("finance.claimStale")
          : t("finance.claimedRefused", { status: label("claimStatus", claim.status) });
        // At the form while it is there; above where it was once the claim is no longer a draft.
        if (canSetClaimedAmount(claim.status, role))
          showMessage(fields, amountSummary, stale ? 412 : 409, text);
        else amountDone.replaceChildren(alertBox("error", paragraph(text)));
      } else {
        showProblems(fields, amountSummary, error);
      }
    } finally {
      amountSubmit.disabled = false;
    }
  });

  // --- status moves ---
  const moveSummary = errorSummary();
  const note = field({ name: "note", label: t("finance.moveNote"), multiline: true });
  const payFields = [
    field({
      name: "receivedAmount",
      label: t("finance.receivedAmount"),
      required: true,
      description: t("finance.amountHint"),
    }),
    field({ name: "receivedOn", label: t("finance.receivedOn"), type: "date", required: true }),
  ];
  payFields[0]!.control.setAttribute("inputmode", "decimal");

  async function doMove(name: ClaimMove): Promise<void> {
    const fields = name === "pay" ? [...payFields, note] : [note];
    clearProblems([...payFields, note], moveSummary);
    done.replaceChildren();
    const v = values(fields);
    const body: Record<string, unknown> = {};
    if (v.note) body.note = v.note;
    if (name === "pay") {
      const amount = v.receivedAmount ? parseMoney(v.receivedAmount) : "";
      if (amount === null) {
        showProblems(
          fields,
          moveSummary,
          new ApiError(400, {
            title: "",
            status: 400,
            errors: [{ in: "body", name: "receivedAmount", detail: t("finance.amountInvalid") }],
          }),
        );
        return;
      }
      if (amount) body.receivedAmount = amount;
      if (v.receivedOn) body.receivedOn = v.receivedOn;
    }
    const asked = moveConfirmation(name, claim, body);
    if (asked && !(await confirmMove(asked))) return;
    try {
      claim = await request<Claim>("POST", `/reimbursement-claims/${id}/_${name}`, {
        body,
        headers: { "If-Match": `"${claim.version}"` },
      });
      if (name === "submit" || name === "reopen")
        lines = (await get<{ items: ClaimLine[] }>(`/reimbursement-claims/${id}/lines`)).items;
      note.control.value = "";
      draw();
      done.replaceChildren(
        alertBox(
          "ok",
          paragraph(t("finance.movedTo", { status: label("claimStatus", claim.status) })),
        ),
      );
      done.querySelector<HTMLElement>(".utrecht-alert")?.setAttribute("tabindex", "-1");
      done.querySelector<HTMLElement>(".utrecht-alert")?.focus();
    } catch (error) {
      showProblems(fields, moveSummary, error);
    }
  }

  function drawMoves(): void {
    const moves = claimMoves(claim.status, role);
    if (moves.length === 0) {
      movesBox.replaceChildren(
        paragraph(role === "finance" ? t("finance.noMoves") : t("finance.movesFinanceOnly")),
      );
      return;
    }
    const simple = moves.filter((m) => m !== "pay");
    movesBox.replaceChildren(
      moveSummary,
      note.wrap,
      simple.length
        ? h(
            "div",
            { class: "button-row" },
            simple.map((m) =>
              button(
                t(`finance.moveAction.${m}`),
                { onclick: () => void doMove(m), "data-move": m },
                m === "reject" ? "secondary" : "primary",
              ),
            ),
          )
        : "",
      moves.includes("pay")
        ? h(
            "fieldset",
            { class: "utrecht-form-fieldset pay-box" },
            h("legend", { class: "utrecht-form-fieldset__legend" }, t("finance.payTitle")),
            payFields.map((f) => f.wrap),
            button(t("finance.moveAction.pay"), {
              onclick: () => void doMove("pay"),
              "data-move": "pay",
            }),
          )
        : "",
    );
  }

  // --- recalculation ---
  const recalcBox = h("div", { "aria-live": "polite", "data-testid": "recalc" });
  const recalcSummary = errorSummary();
  async function recalculate(fileCorrection: boolean): Promise<void> {
    clearProblems([], recalcSummary);
    try {
      const r = await request<Recalculation>("POST", `/reimbursement-claims/${id}/_recalculate`, {
        body: fileCorrection ? { fileCorrection: true } : {},
      });
      claim = r.claim;
      if (claim.status === "draft")
        lines = (await get<{ items: ClaimLine[] }>(`/reimbursement-claims/${id}/lines`)).items;
      draw();
      drawRecalc(r);
    } catch (error) {
      showProblems([], recalcSummary, error);
    }
  }
  function drawRecalc(r: Recalculation): void {
    const filed = ["submitted", "approved", "paid"].includes(claim.status);
    const differs = Number(r.difference) !== 0;
    recalcBox.replaceChildren(
      paragraph(
        t("finance.recalcResult", {
          stored: formatMoney(r.storedTotal),
          current: formatMoney(r.currentTotal),
          difference: formatMoney(r.difference),
        }),
      ),
      r.lines.length === 0
        ? paragraph(t("finance.noDifference"))
        : table(
            t("finance.differenceLines"),
            [
              { header: t("finance.location"), cell: (l) => l.locationName },
              {
                header: t("finance.rateFrom"),
                cell: (l) => `${formatDate(l.rateFrom)} – ${formatDate(l.rateTo)}`,
              },
              { header: t("finance.storedUnits"), cell: (l) => l.storedUnits, numeric: true },
              { header: t("finance.currentUnits"), cell: (l) => l.currentUnits, numeric: true },
              { header: t("finance.deltaUnits"), cell: (l) => l.deltaUnits, numeric: true },
              {
                header: t("finance.deltaAmount"),
                cell: (l) => formatMoney(l.deltaAmount),
                numeric: true,
              },
            ],
            r.lines,
          ),
      r.correction
        ? alertBox(
            "ok",
            paragraph(
              t("finance.correctionFiled"),
              " ",
              link(`/financien/declaraties/${r.correction.id}`, t("finance.openCorrection")),
            ),
          )
        : filed && differs && role === "finance"
          ? button(t("finance.fileCorrection"), {
              onclick: () => void recalculate(true),
              "data-testid": "file-correction",
            })
          : "",
    );
  }

  const section = (key: string, text: string, ...body: (Node | string | null)[]) =>
    h(
      "section",
      { class: "card", "aria-labelledby": `cl-${key}` },
      heading(2, text, { id: `cl-${key}` }),
      ...body,
    );
  draw();
  append(ctx.main, [
    back,
    title,
    ctx.query.get("created") ? alertBox("ok", paragraph(t("finance.draftCreated"))) : null,
    section("d", t("finance.claimDetails"), facts, amountDone, amountBox),
    section("m", t("finance.moves"), done, movesBox),
    section("l", t("finance.lines"), linesBox),
    section("h", t("finance.history"), historyBox),
    canRecalculate(claim.status, role)
      ? section(
          "r",
          t("finance.recalculate"),
          paragraph(t("finance.recalcIntro")),
          recalcSummary,
          button(
            t("finance.recalculate"),
            { onclick: () => void recalculate(false), "data-testid": "recalculate" },
            "secondary",
          ),
          recalcBox,
        )
      : null,
  ]);
  ctx.ready();
}
