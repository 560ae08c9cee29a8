import { describe, expect, it } from "vitest";
import { createStateSeal } from "../../src/core/state-seal.js";

describe("createStateSeal", () => {
  const seal = createStateSeal("k".repeat(32));

  it("opens what it sealed, for the same purpose, until it expires", () => {
    const token = seal.seal("cursor", { handle: "h1", offset: 10 }, 60_000, 1_000);
    expect(seal.open("cursor", token, 1_000)).toEqual({ handle: "h1", offset: 10 });
    expect(seal.open("cursor", token, 60_999)).toEqual({ handle: "h1", offset: 10 });
    expect(seal.open("cursor", token, 61_000)).toBeUndefined();
  });

  it("refuses another purpose, another key, an altered payload and junk", () => {
    const token = seal.seal("cursor", { handle: "h1" }, 60_000, 0);
    expect(seal.open("confirm", token, 0)).toBeUndefined();
    expect(createStateSeal("j".repeat(32)).open("cursor", token, 0)).toBeUndefined();
    const [payload, tag] = token.split(".") as [string, string];
    const forged = Buffer.from(JSON.stringify({ e: 60_000, d: { handle: "h2" } })).toString("base64url");
    expect(seal.open("cursor", `${forged}.${tag}`, 0)).toBeUndefined();
    expect(seal.open("cursor", `${payload}.${tag}x`, 0)).toBeUndefined();
    for (const junk of [undefined, 42, "", ".", "a.b.c", `${payload}.`, "x".repeat(20_000)]) {
      expect(seal.open("cursor", junk, 0)).toBeUndefined();
    }
  });

  it("keys a process of its own when no secret is given", () => {
    const a = createStateSeal();
    const token = a.seal("cursor", 1, 60_000, 0);
    expect(a.open("cursor", token, 0)).toBe(1);
    expect(createStateSeal().open("cursor", token, 0)).toBeUndefined();
  });
});
