import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

let ticksPerSecond: number | undefined;

/** Clock ticks per second of `/proc/<pid>/stat` times (`getconf CLK_TCK`; 100 on Linux when it cannot be asked). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      const n = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
      ticksPerSecond = Number.isInteger(n) && n > 0 ? n : 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * CPU time (user + system, ms) another process has used so far, read from `/proc/<pid>/stat`
 * (`utime` and `stime`, fields 14 and 15); `null` where there is no `/proc` (not Linux) or the
 * process is gone. With `children`, adds the CPU of its children it has waited for (`cutime`,
 * `cstime`, fields 16 and 17).
 */
export function processCpuMs(pid: number | "self", children = false): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const at = (field: number) => Number(fields[field - 3]);
  const ticks = at(14) + at(15) + (children ? at(16) + at(17) : 0);
  return Number.isFinite(ticks) ? (ticks * 1000) / clockTicks() : null;
}
