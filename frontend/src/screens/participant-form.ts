// The participant form, shared by "add" and "edit": which fields a role gets (never a BSN
// field for a role that may not see it), with the API's field names.

import { get } from "../api";
import { combobox } from "../combobox";
import { getLang, label, t } from "../i18n";
import { countryOptions, languageOptions } from "../iso-names";
import {
  DUTCH_LEVELS,
  EMPLOYMENT_STATUSES,
  GROUPS,
  type Page,
  type ParticipantFull,
  type Partner,
} from "../types";
import { field, optionList, type Field } from "../ui";

export function seesBsn(role: string): boolean {
  return role === "admin" || role === "coordinator";
}

export function editsParticipants(role: string): boolean {
  return role === "admin" || role === "coordinator";
}

// The guardians to choose from: only a guardianship organisation (kind nidos) can be one,
// and only of an unaccompanied minor (the API refuses anything else).
export async function partnerOptions(): Promise<{ value: string; label: string }[]> {
  try {
    const page = await get<Page<Partner>>("/partners", {
      kind: "nidos",
      sort: "name",
      pageSize: 200,
    });
    return page.items.map((p) => ({ value: p.id, label: p.name }));
  } catch {
    return [];
  }
}

export function participantFields(o: {
  role: string;
  partners: { value: string; label: string }[];
  creating: boolean;
  current?: ParticipantFull;
}): Field[] {
  const c = o.current;
  const val = (v: string | null | undefined) => v ?? "";
  const fields: Field[] = [
    field({
      name: "reference",
      label: t("participants.reference"),
      required: true,
      value: val(c?.reference),
    }),
    field({
      name: "givenName",
      label: t("participants.givenName"),
      value: val(c?.givenName),
      autocomplete: "off",
    }),
    field({
      name: "familyName",
      label: t("participants.familyName"),
      value: val(c?.familyName),
      autocomplete: "off",
    }),
    field({
      name: "dateOfBirth",
      label: t("participants.dateOfBirth"),
      type: "date",
      value: val(c?.dateOfBirth),
    }),
    // Pickers with Dutch names instead of codes (the lists load when the form is built).
    combobox({
      name: "nationality",
      label: t("participants.nationality"),
      value: val(c?.nationality),
      description: t("participants.nationalityHint"),
      options: countryOptions(getLang()).catch(() => []),
    }),
    field({
      name: "group",
      label: t("participants.group"),
      required: true,
      options: optionList(
        GROUPS,
        (v) => label("group", v),
        o.creating ? t("common.choose") : undefined,
      ),
      value: val(c?.group),
    }),
    field({
      name: "guardianPartnerId",
      label: t("participants.guardian"),
      options: [{ value: "", label: t("common.none") }, ...o.partners],
      value: val(c?.guardianPartnerId),
      description: t("participants.guardianHint"),
    }),
    field({
      name: "householdRef",
      label: t("participants.household"),
      value: val(c?.householdRef),
    }),
    combobox({
      name: "languages",
      label: t("participants.languages"),
      value: (c?.languages ?? []).join(", "),
      description: t("participants.languagesHint"),
      multiple: true,
      options: languageOptions(getLang(), c?.languages ?? []).catch(() => []),
    }),
    field({
      name: "dutchLevel",
      label: t("participants.dutchLevel"),
      options: optionList(DUTCH_LEVELS, (v) => label("dutchLevel", v)),
      value: c?.dutchLevel ?? "none",
    }),
    field({
      name: "employmentStatus",
      label: t("participants.employmentStatus"),
      options: optionList(EMPLOYMENT_STATUSES, (v) => label("employmentStatus", v)),
      value: c?.employmentStatus ?? "not_working",
    }),
    field({
      name: "progressOn",
      label: t("participants.progressOn"),
      type: "date",
      description: t("participants.progressOnHint"),
    }),
  ];
  // Identity numbers: the BSN only for roles that see it (and, on edit, only when the API
  // answered it); the V-number for whoever the API shows it to.
  const ids: Field[] = [];
  if (seesBsn(o.role) && (o.creating || (c && "bsn" in c))) {
    ids.push(
      field({
        name: "bsn",
        label: t("participants.bsn"),
        value: val(c?.bsn),
        autocomplete: "off",
        description: t("participants.bsnHint"),
      }),
    );
  }
  if (o.creating || (c && "vNumber" in c)) {
    ids.push(
      field({
        name: "vNumber",
        label: t("participants.vNumber"),
        value: val(c?.vNumber),
        autocomplete: "off",
      }),
    );
  }
  fields.splice(1, 0, ...ids);
  return fields;
}
