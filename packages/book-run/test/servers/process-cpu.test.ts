import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { processCpuMs } from "../../src/servers/process-cpu.js";

describe("processCpuMs", () => {
  it.runIf(existsSync("/proc/self/stat"))(
    "reads a process's CPU time from /proc, as process.cpuUsage() counts it",
    () => {
      const burnUntil = process.cpuUsage().user + 200_000;
      while (process.cpuUsage().user < burnUntil) Math.sqrt(Math.random());
      const own = process.cpuUsage();
      const fromProc = processCpuMs(process.pid);
      expect(fromProc).not.toBeNull();
      // Same clock, different resolution (/proc counts 10 ms ticks): they agree within a few ticks.
      expect(Math.abs((fromProc as number) - (own.user + own.system) / 1000)).toBeLessThan(100);
      expect(processCpuMs("self", true)).toBeGreaterThanOrEqual(fromProc as number);
    },
  );

  it("is null for a process that does not exist", () => {
    expect(processCpuMs(2 ** 30)).toBeNull();
  });
});
