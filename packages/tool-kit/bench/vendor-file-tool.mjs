// A write tool whose "vendor" is a file (one line per write, stamped with the key, which
// `reconcile` looks for), for the recovery benchmark. `crash`: die right after writing.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { defineTool } from "../dist/tools/index.js";

export function vendorFileTool(vendorFile, crash = false) {
  const lines = () =>
    existsSync(vendorFile) ? readFileSync(vendorFile, "utf8").split("\n").filter(Boolean) : [];
  return defineTool({
    name: "record_event",
    title: "Record event",
    description: "Appends an event line to the vendor file.",
    kind: "write",
    input: z.object({ account_id: z.string(), text: z.string(), occurrence: z.string() }),
    output: z.object({ line: z.string() }),
    idempotency: {
      key: (args) => ({ target: args.account_id, occurrence: args.occurrence }),
      reconcile: async (_args, ctx) => {
        const found = lines().find((line) => line.startsWith(`${ctx.idempotencyKey} `));
        return found ? { line: found } : null;
      },
    },
    async handler(args, ctx) {
      const line = `${ctx.idempotencyKey} ${args.account_id} ${args.text}`;
      appendFileSync(vendorFile, `${line}\n`);
      if (crash) process.kill(process.pid, "SIGKILL");
      return { line };
    },
  });
}
