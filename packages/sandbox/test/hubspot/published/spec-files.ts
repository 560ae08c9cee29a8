import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * HubSpot's published OpenAPI descriptions the crm server's endpoints are checked against:
 * `HubSpot/HubSpot-public-api-spec-collection` at {@link SPEC_COMMIT}. They are **not in this
 * repository**: that repository's README says "These specifications are proprietary to
 * HubSpot and are not licensed for external use", so only their names, paths and SHA-256 are
 * kept here. Put the files in {@link specDirectory} (`HUBSPOT_OPENAPI_DIR`, or the git-ignored
 * `specs/` beside this file) as `<version>-<api>.json`; a file whose hash differs is refused,
 * so every check runs against exactly the descriptions named here.
 */
export const SPEC_REPOSITORY = "https://github.com/HubSpot/HubSpot-public-api-spec-collection";

/** The commit the hashes below were taken at (2026-08-21). */
export const SPEC_COMMIT = "99893791383254f52aa07662baeb98aad65cc710";

/** One description file: its local name, its path in the spec repository, its SHA-256. */
export interface SpecFile {
  version: "2026-03" | "2026-09";
  api: "accountInfo" | "associations" | "companies" | "contacts" | "notes";
  path: string;
  sha256: string;
}

const base: Record<SpecFile["api"], string> = {
  accountInfo: "PublicApiSpecs/Account/Account Info/Rollouts/144923",
  associations: "PublicApiSpecs/CRM/Associations/Rollouts/130902",
  companies: "PublicApiSpecs/CRM/Companies/Rollouts/424",
  contacts: "PublicApiSpecs/CRM/Contacts/Rollouts/424",
  notes: "PublicApiSpecs/CRM/Notes/Rollouts/424",
};

const hashes: Record<SpecFile["version"], Record<SpecFile["api"], string>> = {
  "2026-03": {
    accountInfo: "865401abeb59db218cdcb4c26718344c1381567efa6f05b1eb76405aefb7765a",
    associations: "09616878d0b1b92414b780d02353eacdb5806c9f861b6a1dd2fdbc71b94a4094",
    companies: "edbc1e7b2ec2cdc525eeb92f4c5443e01104de65904b080054ae1dfbcbe01023",
    contacts: "968d92765cf84f6b007e577267367fde0514db49e1dba6258d9c3d8d9c897695",
    notes: "8a09ec987a7f86001b8bf5ed9226d9bc53a7ccef76037831c7b0d7437f038d2e",
  },
  "2026-09": {
    accountInfo: "af50eec94f90832db1a3b58d54be11918ef515946803b8030ba724f712987fee",
    associations: "f1c68852abd664fab98cb0ee377f70ffe3dabec72be59e5c3b1bfc53580f4ead",
    companies: "f8907f7ba5a5097ccb29fdd2b5ac5f522e3adde5614df9d9c4a49d3d04ff5945",
    contacts: "f67bf5699a481ef85735c1846884f3c7c72ea85f858341de3499a90d9039f344",
    notes: "cb9e1c0a81c0949e33a50c7eef6eb524142c661c98476f670fbba5b287d67e5e",
  },
};

/** Every description used, per version. */
export const SPEC_FILES: SpecFile[] = (["2026-03", "2026-09"] as const).flatMap((version) =>
  (Object.keys(base) as SpecFile["api"][]).map((api) => ({
    version,
    api,
    path: `${base[api]}/${version}/${api}.json`,
    sha256: hashes[version][api],
  })),
);

/** Where the description files are read from. */
export function specDirectory(): string {
  return process.env.HUBSPOT_OPENAPI_DIR ?? fileURLToPath(new URL("./specs", import.meta.url));
}

/** One loaded description. */
export interface LoadedSpec {
  file: SpecFile;
  // biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document, walked by the contract checker
  doc: any;
}

/**
 * Reads and verifies every description.
 *
 * @throws Error naming the missing or altered files and how to get them.
 */
export function loadSpecs(dir = specDirectory()): LoadedSpec[] {
  const problems: string[] = [];
  const loaded: LoadedSpec[] = [];
  for (const file of SPEC_FILES) {
    const local = join(dir, `${file.version}-${file.api}.json`);
    if (!existsSync(local)) {
      problems.push(`missing ${local} (${file.path})`);
      continue;
    }
    const text = readFileSync(local);
    const sha = createHash("sha256").update(text).digest("hex");
    if (sha !== file.sha256) {
      problems.push(`${local} has SHA-256 ${sha}, expected ${file.sha256} (${file.path} at ${SPEC_COMMIT})`);
      continue;
    }
    loaded.push({ file, doc: JSON.parse(text.toString("utf8")) });
  }
  if (problems.length > 0) {
    throw new Error(
      `HubSpot's OpenAPI descriptions are needed in ${dir} (or HUBSPOT_OPENAPI_DIR) as <version>-<api>.json, ` +
        `from ${SPEC_REPOSITORY} at ${SPEC_COMMIT} (see packages/sandbox/README.md): ${problems.join("; ")}`,
    );
  }
  return loaded;
}
