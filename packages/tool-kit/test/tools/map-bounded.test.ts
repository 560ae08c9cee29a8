import { describe, expect, it } from "vitest";
import { mapBounded } from "../../src/tools/index.js";

describe("mapBounded", () => {
  it("keeps input order and never runs more than the limit at once", async () => {
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const done = mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n, i) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running -= 1;
      return `${i}:${n * 10}`;
    });
    // Release in reverse order of arrival as they queue up: order of results must not depend on it.
    while (releases.length > 0 || running > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.pop()?.();
    }
    expect(await done).toEqual(["0:10", "1:20", "2:30", "3:40", "4:50", "5:60", "6:70"]);
    expect(most).toBe(3);
  });

  it("returns an empty list for no items", async () => {
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
  });
});
