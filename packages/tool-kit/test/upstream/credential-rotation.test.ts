import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readSecretFile, Secret } from "../../src/config/index.js";
import { company, createNote, getCompany, type Harness, harness, rejection, scope } from "./harness.js";

const OLD = "tok_old_aaaaaaaaaaaa";
const NEW = "tok_new_bbbbbbbbbbbb";

/** The credential a server builds from `VENDOR_TOKEN_FILE`: the config's Secret, re-read on a 401. */
const fileCredential = (path: string) =>
  new Secret("VENDOR_TOKEN", readSecretFile("VENDOR_TOKEN", path), path).asCredential();

let dir: string;
let file: string;
let h: Harness | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "gtm-cred-"));
  file = join(dir, "VENDOR_TOKEN_FILE");
  await writeFile(file, `${OLD}\n`);
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  await rm(dir, { recursive: true, force: true });
});

const unauthorized = { status: 401, body: { message: "Authentication credentials not found" } };

describe("credential rotation from a _FILE", () => {
  it("re-reads the file on 401 and re-sends once with the new token", async () => {
    const credential = fileCredential(file);
    expect(await credential.get()).toBe(OLD);
    await writeFile(file, `${NEW}\n`); // rotated after start
    h = harness({ credential });
    h.vendor.on("GET", "/companies/123").replySequence([unauthorized, { status: 200, body: company }]);
    const s = scope();
    const res = await h.client.request(getCompany, s);
    expect(res.body).toEqual(company);
    expect(h.vendor.calls().map((c) => c.headers.authorization)).toEqual([`Bearer ${OLD}`, `Bearer ${NEW}`]);
    expect(s.stats).toEqual({ attempts: 2, retried: true });
    // Later requests use the new token straight away.
    h.vendor.on("GET", "/companies/123").reply({ status: 200, body: company });
    await h.client.request(getCompany);
    expect(h.vendor.calls()[2]?.headers.authorization).toBe(`Bearer ${NEW}`);
  });

  it("re-sends a create too: a 401 did not act", async () => {
    const credential = fileCredential(file);
    await writeFile(file, NEW);
    h = harness({ credential });
    h.vendor.on("POST", "/notes").replySequence([unauthorized, { status: 201, body: company }]);
    const res = await h.client.request(createNote);
    expect(res.status).toBe(201);
    expect(h.vendor.calls()).toHaveLength(2);
  });

  it("a 401 with an unchanged file is PERMISSION_DENIED after one request", async () => {
    h = harness({ credential: fileCredential(file) });
    h.vendor.on("GET", "/companies/123").replySequence([unauthorized, { status: 200, body: company }]);
    const error = await rejection(h.client.request(getCompany));
    expect(error).toMatchObject({ code: "PERMISSION_DENIED", retryable: false });
    expect(h.vendor.calls()).toHaveLength(1);
  });

  it("re-sends only once per call, even when the secret keeps changing", async () => {
    let version = 0;
    const credential = {
      get: () => `tok_version_${version}`,
      refresh: async () => {
        version += 1;
        return true;
      },
    };
    h = harness({ credential });
    h.vendor
      .on("GET", "/companies/123")
      .replySequence([unauthorized, unauthorized, { status: 200, body: company }]);
    const error = await rejection(h.client.request(getCompany));
    expect(error.code).toBe("PERMISSION_DENIED");
    expect(h.vendor.calls()).toHaveLength(2);
  });

  it("a static credential (no file) does not re-send", async () => {
    h = harness();
    h.vendor.on("GET", "/companies/123").replySequence([unauthorized, { status: 200, body: company }]);
    await rejection(h.client.request(getCompany));
    expect(h.vendor.calls()).toHaveLength(1);
  });

  it("a 403 (missing scope) does not trigger a re-read", async () => {
    const credential = fileCredential(file);
    await writeFile(file, NEW);
    h = harness({ credential });
    h.vendor.on("GET", "/companies/123").replySequence([{ status: 403 }, { status: 200, body: company }]);
    await rejection(h.client.request(getCompany));
    expect(h.vendor.calls()).toHaveLength(1);
  });
});

describe("a credential file during rotation", () => {
  it("keeps the old secret while the file is empty (a rotation tool truncating it), and uses the new one after", async () => {
    const credential = fileCredential(file);
    h = harness({ credential });
    await writeFile(file, "");
    h.vendor.on("GET", "/companies/123").replySequence([unauthorized, { status: 200, body: company }]);
    expect(await rejection(h.client.request(getCompany))).toMatchObject({ code: "PERMISSION_DENIED" });
    expect(h.vendor.calls()).toHaveLength(1);
    expect(await credential.get()).toBe(OLD);
    await writeFile(file, `${NEW}\n`);
    expect(await credential.refresh?.()).toBe(true);
    expect(await credential.get()).toBe(NEW);
  });

  it("a credential that cannot be read fails the request as INTERNAL without sending it", async () => {
    const unreadable = {
      get: (): string => {
        throw new Error("EACCES: permission denied");
      },
    };
    h = harness({ credential: unreadable });
    const error = await rejection(h.client.request(getCompany));
    expect(error.code).toBe("INTERNAL");
    expect(h.vendor.calls()).toHaveLength(0);
  });
});
