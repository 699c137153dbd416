// The participant screens' pure shaping: the list query, a name, the create and PATCH bodies.

import { describe, expect, it } from "vitest";
import {
  participantBody,
  participantChanges,
  participantName,
  participantQuery,
} from "../src/shape-participants";
import type { ParticipantFull } from "../src/types";

describe("participants", () => {
  const before: ParticipantFull = {
    id: "p",
    version: 3,
    createdAt: "2026-01-01T09:00:00Z",
    updatedAt: "2026-01-01T09:00:00Z",
    reference: "HS-1",
    bsn: null,
    vNumber: "V123",
    givenName: "Olena",
    familyName: null,
    dateOfBirth: null,
    nationality: null,
    group: "ukrainian_displaced",
    guardianPartnerId: null,
    householdRef: null,
    languages: ["uk"],
    dutchLevel: "A1",
    employmentStatus: "not_working",
  };

  it("builds the list query", () => {
    expect(participantQuery({ q: "  olena ", group: "", active: "true", page: 3 })).toEqual({
      sort: "reference",
      pageSize: 25,
      q: "olena",
      active: "true",
      page: 3,
    });
    expect(participantQuery({ active: "maybe" })).toEqual({ sort: "reference", pageSize: 25 });
  });

  it("names a person, or falls back to the reference", () => {
    expect(participantName(before)).toBe("Olena");
    expect(participantName({ reference: "HS-2", givenName: null, familyName: null })).toBe("HS-2");
  });

  it("leaves empty optional fields out of a new participant", () => {
    expect(
      participantBody({
        reference: "HS-9",
        group: "asylum_seeker",
        givenName: "",
        bsn: "",
        languages: "ar, en",
        dutchLevel: "none",
        employmentStatus: "not_working",
        progressOn: "",
      }),
    ).toEqual({
      reference: "HS-9",
      group: "asylum_seeker",
      languages: ["ar", "en"],
      dutchLevel: "none",
      employmentStatus: "not_working",
    });
  });

  it("sends only the changes, a cleared field as null, and never a field the form lacks", () => {
    const v = {
      reference: "HS-1",
      givenName: "",
      familyName: "Kovalenko",
      group: "ukrainian_displaced",
      languages: "uk",
      dutchLevel: "A2",
      employmentStatus: "not_working",
      progressOn: "2026-11-01",
      vNumber: "V123",
    };
    expect(participantChanges(before, v)).toEqual({
      givenName: null,
      familyName: "Kovalenko",
      dutchLevel: "A2",
      progressOn: "2026-11-01",
    });
    expect(
      participantChanges(before, { ...v, givenName: "Olena", familyName: "", dutchLevel: "A1" }),
    ).toEqual({});
  });
});
