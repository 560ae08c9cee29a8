import { describe, expect, it } from "vitest";
import { bounded } from "../../src/errors/index.js";

describe("bounded", () => {
  it("keeps short text and cuts long text, stating its length", () => {
    expect(bounded("abc", 3)).toBe("abc");
    expect(bounded("abcdef", 3)).toBe("abc…(6 chars)");
  });

  it("never cuts between the halves of a surrogate pair", () => {
    const text = `ab${"😀".repeat(3)}`; // 2 + 6 UTF-16 code units
    const cut = bounded(text, 3); // the 3rd unit is the high half of the first emoji
    expect(cut).toBe("ab…(8 chars)");
    expect(cut).not.toMatch(/\p{Cs}/u);
    expect(bounded(text, 4)).toBe("ab😀…(8 chars)");
  });
});
