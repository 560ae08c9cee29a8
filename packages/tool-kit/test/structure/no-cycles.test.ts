import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cruise, type IReporterOutput } from "dependency-cruiser";
import { beforeAll, describe, expect, it } from "vitest";

// The tool-kit's layers stay one way (style.md): no module imports itself back through
// others, and no subpath (a folder of src/) does either. A cycle fails the suite, and so CI.

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
type Module = { source: string; dependencies: Array<{ resolved: string; circular: boolean }> };
let modules: Module[];

beforeAll(async () => {
  const result: IReporterOutput = await cruise(
    ["src"],
    {
      baseDir: root,
      tsPreCompilationDeps: true,
      doNotFollow: { path: "node_modules" },
      ruleSet: { forbidden: [{ name: "no-circular", severity: "error", from: {}, to: { circular: true } }] },
    },
    undefined,
    { tsConfig: { fileName: join(root, "tsconfig.json") } },
  );
  if (typeof result.output === "string") throw new Error("dependency-cruiser answered text");
  modules = result.output.modules as unknown as Module[];
}, 60_000);

/** The folder of src/ a module belongs to (`src/tools/x.ts` → `tools`), or undefined outside src/. */
const layerOf = (path: string) => /^src\/([^/]+)\//.exec(path)?.[1];

/** Every cycle in a directed graph, each as the list of its nodes (the first repeated last). */
function cyclesOf(edges: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

describe("the tool-kit's import graph", () => {
  it("has source modules to check (the cruise found src/)", () => {
    expect(modules.filter((m) => m.source.startsWith("src/")).length).toBeGreaterThan(50);
  });

  it("has no cycle between files", () => {
    const circular = modules.flatMap((m) =>
      m.dependencies.filter((d) => d.circular).map((d) => `${m.source} → ${d.resolved}`),
    );
    expect(circular).toEqual([]);
  });

  it("has no cycle between subpaths (the folders of src/)", () => {
    const edges = new Map<string, Set<string>>();
    for (const m of modules) {
      const from = layerOf(m.source);
      if (from === undefined) continue;
      for (const d of m.dependencies) {
        const to = layerOf(d.resolved);
        if (to === undefined || to === from) continue;
        edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    expect(cyclesOf(edges).map((cycle) => cycle.join(" → "))).toEqual([]);
  });

  it("keeps src/core a leaf: it imports no other part of the tool-kit", () => {
    const outward = modules
      .filter((m) => layerOf(m.source) === "core")
      .flatMap((m) => m.dependencies.map((d) => d.resolved))
      .filter((path) => path.startsWith("src/") && layerOf(path) !== "core");
    expect(outward).toEqual([]);
  });
});

describe("cyclesOf (the subpath check itself)", () => {
  it("finds a two-folder cycle", () => {
    const edges = new Map([
      ["tools", new Set(["upstream"])],
      ["upstream", new Set(["tools"])],
    ]);
    expect(cyclesOf(edges)).toEqual([["tools", "upstream", "tools"]]);
  });
});
