import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../src/limits/token-bucket.js";

describe("TokenBucket", () => {
  it("admits the capacity at once, refuses the next, and refills with the clock", () => {
    let t = 0;
    const bucket = new TokenBucket(4, 1_000, () => t);
    expect([1, 2, 3, 4].map(() => bucket.take())).toEqual([true, true, true, true]);
    expect(bucket.take()).toBe(false);
    expect(bucket.msUntil()).toBe(250);
    t = 250;
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    t = 10_000;
    expect(bucket.remaining()).toBe(4);
  });
});
