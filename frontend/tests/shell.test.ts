import { describe, expect, it } from "vitest";
import { buildUrl, decodeClaims } from "../src/api";
import { resolveApiBase } from "../src/config";
import { canSee, homeFor, navGroupsFor, screensFor, seesResidents } from "../src/roles";
import { matchRoute } from "../src/router";

describe("roles", () => {
  it("the navigation's groups hold each of a role's screens exactly once", () => {
    for (const role of ["admin", "coordinator", "finance", "partner", "viewer"]) {
      const grouped = navGroupsFor(role).flatMap((g) => g.screens);
      expect([...grouped].sort()).toEqual([...screensFor(role)].sort());
      expect(navGroupsFor(role).every((g) => g.screens.length > 0)).toBe(true);
    }
    expect(navGroupsFor("admin").map((g) => g.id)).toEqual(["work", "neighbourhood", "steering"]);
  });

  it("each role's screens follow the API's roles table", () => {
    expect(screensFor("admin")).toHaveLength(14);
    expect(screensFor("finance")).toEqual([
      "overview",
      "locations",
      "imports",
      "pipeline",
      "finance",
      "begroting",
      "forecast",
      "scenarios",
      "capacityPlan",
      "goals",
      "council",
    ]);
    expect(canSee("coordinator", "imports")).toBe(true);
    expect(canSee("partner", "imports")).toBe(false);
    expect(canSee("viewer", "imports")).toBe(false);
    expect(screensFor("partner")).not.toContain("overview");
    expect(screensFor("viewer")).toEqual([
      "overview",
      "pipeline",
      "finance",
      "begroting",
      "forecast",
      "scenarios",
      "capacityPlan",
      "goals",
      "council",
    ]);
    expect(canSee("partner", "goals")).toBe(false);
    expect(canSee("partner", "pipeline")).toBe(false);
    expect(canSee("partner", "council")).toBe(false);
    expect(canSee("coordinator", "council")).toBe(true);
    expect(canSee("coordinator", "begroting")).toBe(false);
    expect(canSee("coordinator", "forecast")).toBe(false);
    expect(canSee("partner", "capacityPlan")).toBe(false);
    expect(screensFor("nobody")).toEqual([]);
    expect(canSee("finance", "participants")).toBe(false);
    expect(homeFor("partner")).toBe("locations");
    expect(seesResidents("finance")).toBe(false);
    expect(seesResidents("partner")).toBe(true);
  });
});

describe("router", () => {
  const routes = [
    { name: "locations", pattern: "/locaties" },
    { name: "location", pattern: "/locaties/:id" },
    { name: "public", pattern: "/publiek" },
  ];
  it("matches paths and parameters", () => {
    expect(matchRoute(routes, "/locaties")).toEqual({ name: "locations", params: {} });
    expect(matchRoute(routes, "/locaties/")).toEqual({ name: "locations", params: {} });
    expect(matchRoute(routes, "/locaties/ab%20c")).toEqual({
      name: "location",
      params: { id: "ab c" },
    });
    expect(matchRoute(routes, "/publiek/x")).toBeNull();
    expect(matchRoute(routes, "/")).toBeNull();
  });
});

describe("api client", () => {
  it("base URL: runtime config, then build time, then same origin", () => {
    expect(resolveApiBase({ apiBase: "https://api.example/" }, "https://build.example")).toBe(
      "https://api.example",
    );
    expect(resolveApiBase({}, "https://build.example")).toBe("https://build.example");
    expect(resolveApiBase(undefined, undefined)).toBe("");
  });

  it("builds URLs without empty query keys", () => {
    expect(buildUrl("", "/signals", { status: "open", severity: "", page: 2, x: undefined })).toBe(
      "/api/v1/signals?status=open&page=2",
    );
    expect(buildUrl("https://a.example", "/health")).toBe("https://a.example/api/v1/health");
  });

  it("reads the partner claim from a token, and survives garbage", () => {
    const payload = btoa(JSON.stringify({ role: "partner", pid: "p-1" })).replace(/=+$/, "");
    expect(decodeClaims(`x.${payload}.y`).pid).toBe("p-1");
    expect(decodeClaims("nonsense")).toEqual({});
  });
});
