import { describe, expect, it } from "vitest";
import { maySignInAgain } from "../src/api";

describe("maySignInAgain", () => {
  it("sees the marker cookie the API sets beside the refresh cookie", () => {
    expect(maySignInAgain("opvang_signed_in=1")).toBe(true);
    expect(maySignInAgain("lang=nl; opvang_signed_in=1; other=2")).toBe(true);
  });
  it("is false without it, or for a look-alike", () => {
    expect(maySignInAgain("")).toBe(false);
    expect(maySignInAgain("lang=nl")).toBe(false);
    expect(maySignInAgain("opvang_signed_in=0")).toBe(false);
    expect(maySignInAgain("x_opvang_signed_in=1")).toBe(false);
  });
});
