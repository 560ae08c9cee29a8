import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { waitFor } from "../../src/testing/index.js";
import { type RawAnswer, startRawStdio } from "./stdio-harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const writeServer = join(here, "fixtures", "write-server.mjs");
const dir = mkdtempSync(join(tmpdir(), "gtm-shutdown-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const envelopeOf = (answer: RawAnswer | undefined) =>
  JSON.parse(answer?.result?.content?.[0]?.text ?? "null")?.error as
    | { code: string; retryable: boolean; sideEffect: string }
    | undefined;

describe("shutdown at the drain limit", () => {
  it.each(["wait", "stuck"] as const)(
    "answers every call still running (vendor mode %s), settles the write keys before the store closes, and the retry writes once",
    async (mode) => {
      const vendorFile = join(dir, `vendor-${mode}.txt`);
      const env = {
        GTM_STATE_URL: `sqlite:${join(dir, `state-${mode}.sqlite`)}`,
        GTM_RUN_ID: `run-${mode}`,
        VENDOR_FILE: vendorFile,
        DRAIN_MS: "300",
        ABORT_GRACE_MS: "500",
      };
      const server = await startRawStdio({ ...env, VENDOR_MODE: mode }, writeServer);
      const writes = [1, 2, 3].map((n) => ({ account_id: `a${n}`, occurrence: "2026-11-29" }));
      for (const [i, args] of writes.entries()) {
        server.send({
          jsonrpc: "2.0",
          id: i + 1,
          method: "tools/call",
          params: { name: "record_event", arguments: args },
        });
      }
      server.send({
        jsonrpc: "2.0",
        id: 4,
        method: "tools/call",
        params: { name: "slow_read", arguments: {} },
      });
      await waitFor(
        () =>
          (server.stderr().match(/vendor write sent/g) ?? []).length === 3 &&
          server.stderr().includes("slow_read started"),
        15_000,
        "the writes to reach the vendor",
      );
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);

      // Every call got an answer: retryable, and a write says it may have acted.
      for (const id of [1, 2, 3]) {
        const error = envelopeOf(server.answers().find((a) => a.id === id));
        expect(error, `write ${id}`).toMatchObject({ retryable: true, sideEffect: "unknown" });
      }
      expect(envelopeOf(server.answers().find((a) => a.id === 4))).toMatchObject({
        retryable: true,
        sideEffect: "none",
      });
      const logs = server
        .stderr()
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      // No transition ran against a closed store.
      expect(
        logs.filter((l) => /store transition failed|unavailable/.test(`${l.msg} ${l.err?.message ?? ""}`)),
      ).toEqual([]);
      expect(logs.find((l) => l.msg === "stopped")).toMatchObject({ drained: false });

      // The next identical calls reconcile: found at the vendor, not written again.
      const again = await startRawStdio({ ...env, VENDOR_MODE: "return" }, writeServer);
      for (const [i, args] of writes.entries()) {
        again.send({
          jsonrpc: "2.0",
          id: i + 11,
          method: "tools/call",
          params: { name: "record_event", arguments: args },
        });
      }
      await waitFor(
        () => [11, 12, 13].every((id) => again.answers().some((a) => a.id === id)),
        15_000,
        "the retries",
      );
      for (const id of [11, 12, 13]) {
        expect(again.answers().find((a) => a.id === id)?.result?.structuredContent).toMatchObject({
          replayed: true,
        });
      }
      expect(await again.end()).toBe(0);
      expect(readFileSync(vendorFile, "utf8").trim().split("\n")).toHaveLength(3);
    },
    60_000,
  );
});
