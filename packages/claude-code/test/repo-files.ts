import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/** The repository root, with a trailing slash. */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export const readText = (path: string): string => readFileSync(`${ROOT}${path}`, "utf8");
export const readJson = <T = Record<string, unknown>>(path: string): T => JSON.parse(readText(path)) as T;

/** A Markdown file's YAML front matter and body. */
export function frontMatter(path: string): { meta: Record<string, unknown>; body: string } {
  const text = readText(path);
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`${path} has no front matter`);
  return { meta: parse(match[1]!) as Record<string, unknown>, body: match[2]! };
}

/** The rows of the first Markdown table whose header row starts with `firstHeader`. */
export function markdownTable(body: string, firstHeader: string): string[][] {
  const lines = body.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`| ${firstHeader} |`));
  if (start < 0) throw new Error(`no table headed "${firstHeader}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .slice(1, -1)
        .split("|")
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** `${VAR}` and `${VAR:-default}` expanded the way Claude Code expands .mcp.json. */
export function expandVars(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => {
    const value = vars[name];
    if (value !== undefined && value !== "") return value;
    if (fallback !== undefined) return fallback;
    throw new Error(`\${${name}} has no value and no default`);
  });
}
