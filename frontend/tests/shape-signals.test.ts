import { describe, expect, it } from "vitest";
import { followUps, ownerIdOf, signalListQuery } from "../src/shape-signals";

describe("the signals list's query", () => {
  it("takes the filters from the address", () => {
    const q = signalListQuery(new URLSearchParams("overdue=true&owner=me&status=open"));
    expect(q).toEqual({ sort: "-reportedAt", overdue: "true", owner: "me", status: "open" });
  });

  it("leaves out empty, unknown and malformed values", () => {
    const q = signalListQuery(new URLSearchParams("overdue=ja&owner=&page=3&sort=x&foo=bar"));
    expect(q).toEqual({ sort: "-reportedAt" });
  });
});

describe("follow-up moves", () => {
  it("offers pick-up for an open signal or one that is not the caller's", () => {
    expect(followUps("open", false)).toEqual(["pickUp", "resolve"]);
    expect(followUps("open", true)).toEqual(["pickUp", "resolve"]);
    expect(followUps("in_progress", false)).toEqual(["pickUp", "resolve"]);
    expect(followUps("in_progress", true)).toEqual(["resolve"]);
  });

  it("offers only reopening a resolved signal", () => {
    expect(followUps("resolved", true)).toEqual(["reopen"]);
  });

  it("finds the caller among the owners by e-mail address", () => {
    const owners = [
      { id: "1", email: "anna@heemstede.example" },
      { id: "2", email: "bart@heemstede.example" },
    ];
    expect(ownerIdOf(owners, "Bart@Heemstede.example ")).toBe("2");
    expect(ownerIdOf(owners, "coa@coa.example")).toBeNull();
  });
});
