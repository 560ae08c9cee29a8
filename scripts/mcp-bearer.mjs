#!/usr/bin/env node
// Registers a gtm-mcp server served over HTTP in Claude Code without writing its bearer token
// into Claude Code's config: the registration names a headersHelper that reads the token file
// each time Claude Code connects, so rotating the token needs no re-registration.
//
//   node scripts/mcp-bearer.mjs config <url> <token-file>   prints the JSON for `claude mcp add-json`
//   node scripts/mcp-bearer.mjs header <token-file>         prints {"Authorization":"Bearer <token>"}
//
// The token is the file's first non-empty line. Imports only node:fs and node:path, so any
// Node runs it. Nothing but the JSON goes to stdout; problems are one line on stderr, exit 1.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const [mode, ...rest] = process.argv.slice(2);
const fail = (message) => {
  process.stderr.write(`mcp-bearer: ${message}\n`);
  process.exit(1);
};
const quote = (text) => `"${text.replace(/(["\\$`])/g, "\\$1")}"`;

if (mode === "config" && rest.length === 2) {
  const [url, tokenFile] = rest;
  if (!/^https?:\/\/[^\s]+$/.test(url)) fail(`expected an http(s) URL, got ${JSON.stringify(url)}`);
  const helper = [process.execPath, fileURLToPath(import.meta.url), "header", resolve(tokenFile)]
    .map(quote)
    .join(" ");
  process.stdout.write(`${JSON.stringify({ type: "http", url, headersHelper: helper })}\n`);
} else if (mode === "header" && rest.length === 1) {
  let text;
  try {
    text = readFileSync(rest[0], "utf8");
  } catch (error) {
    fail(`cannot read the token file ${rest[0]}: ${error.code ?? "error"}`);
  }
  const token = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== "");
  if (!token) fail(`the token file ${rest[0]} is empty`);
  process.stdout.write(`${JSON.stringify({ Authorization: `Bearer ${token}` })}\n`);
} else {
  fail("usage: mcp-bearer.mjs config <url> <token-file> | header <token-file>");
}
