import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// No Docker engine runs in CI, so the deployment files are checked by reading them.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, "utf8");

const SERVERS = ["crm", "enrichment", "warehouse", "email"] as const;
const ENVS = ["staging", "production"] as const;
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PRIVATE_KEY|API_KEY)/;

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  profiles?: string[];
  env_file?: string[];
  environment?: Record<string, string>;
  secrets?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  command?: string[];
  volumes?: string[];
}
interface Compose {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
  volumes: Record<string, unknown>;
}

const compose = parse(read("docker-compose.yml"), { merge: true }) as Compose;

function envFile(path: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of read(path).split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) vars[match[1]!] = match[2]!;
  }
  return vars;
}

describe("docker-compose.yml", () => {
  it("has one Redis per environment, persistent, never evicting, with a healthcheck", () => {
    for (const env of ENVS) {
      const redis = compose.services[`redis-${env}`];
      expect(redis, `redis-${env}`).toBeDefined();
      expect(redis!.profiles).toEqual([env]);
      expect(redis!.command).toEqual(
        expect.arrayContaining(["--appendonly", "yes", "--maxmemory-policy", "noeviction"]),
      );
      expect(redis!.healthcheck?.test).toEqual(["CMD", "redis-cli", "ping"]);
      expect(redis!.volumes).toEqual([`redis-${env}-data:/data`]);
      expect(compose.volumes).toHaveProperty(`redis-${env}-data`);
    }
  });

  it("runs the four servers per environment, over HTTP, healthy only after their Redis is", () => {
    const names = Object.keys(compose.services).sort();
    expect(names).toEqual(
      [...ENVS.flatMap((env) => [`redis-${env}`, ...SERVERS.map((s) => `${s}-${env}`)])].sort(),
    );
    for (const env of ENVS) {
      for (const server of SERVERS) {
        const service = compose.services[`${server}-${env}`]!;
        expect(service.build?.args?.SERVER).toBe(server);
        expect(service.build?.dockerfile).toBe("Dockerfile");
        expect(service.profiles).toEqual([env]);
        expect(service.depends_on).toEqual({ [`redis-${env}`]: { condition: "service_healthy" } });
        expect(service.healthcheck?.test.join(" ")).toContain("/healthz");
        const vars = service.environment!;
        expect(vars.GTM_ENV).toBe(env);
        expect(vars.GTM_STATE_URL).toBe(`redis://redis-${env}:6379/0`);
        expect(vars.GTM_HTTP_TOKENS_FILE).toMatch(/^\/run\/secrets\//);
        // State a client carries back (warehouse cursors, email send confirmations) must open on
        // any replica and after a restart: those servers share one state key per environment.
        if (server === "warehouse" || server === "email") {
          expect(vars.GTM_STATE_SECRET_FILE).toBe(`/run/secrets/${server}_${env}_state_secret`);
        }
        expect(service.env_file).toEqual([`deploy/${env}/${server}.env`]);
        expect(existsSync(`${root}deploy/${env}/${server}.env`)).toBe(true);
      }
    }
  });

  it("never shares a port, a store or a credential between environments", () => {
    const published = Object.values(compose.services).flatMap((s) => s.ports ?? []);
    expect(new Set(published).size).toBe(published.length);
    for (const port of published) expect(port).toMatch(/^127\.0\.0\.1:\d+:8080$/);
    const byEnv = ENVS.map((env) =>
      SERVERS.flatMap((server) => compose.services[`${server}-${env}`]!.secrets ?? []).map(
        (name) => compose.secrets[name]!.file,
      ),
    );
    const [staging, production] = byEnv as [string[], string[]];
    expect(staging.filter((file) => production.includes(file))).toEqual([]);
    for (const file of staging) expect(file).toMatch(/^deploy\/secrets\/staging\//);
    for (const file of production) expect(file).toMatch(/^deploy\/secrets\/production\//);
  });

  it("passes every secret as a compose secret through <NAME>_FILE, never inline", () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (key.endsWith("_FILE")) {
          const secret = value.replace(/^\/run\/secrets\//, "");
          expect(service.secrets, `${name} ${key}`).toContain(secret);
          expect(compose.secrets[secret]?.file, `${name} ${key}`).toMatch(/^deploy\/secrets\//);
        } else {
          expect(SECRET_NAME.test(key), `${name} sets ${key} inline`).toBe(false);
        }
      }
      for (const file of service.env_file ?? []) {
        for (const key of Object.keys(envFile(file))) {
          expect(SECRET_NAME.test(key), `${file} sets ${key}`).toBe(false);
        }
      }
    }
    expect(read(".gitignore")).toMatch(/^deploy\/secrets\/$/m);
    expect(read(".dockerignore")).toMatch(/^deploy\/secrets$/m);
  });
});

describe("Dockerfile", () => {
  const text = read("Dockerfile");
  const stages = [...text.matchAll(/^FROM\s+(\S+)\s+AS\s+(\S+)/gim)].map((m) => m[2]);

  it("builds in stages and ships only the chosen server's production dependencies", () => {
    expect(stages).toEqual(["deps", "build", "deploy", "runtime"]);
    expect(text).toMatch(/pnpm install --frozen-lockfile/);
    expect(text).toMatch(/--filter "@gtm-mcp\/\$\{SERVER\}" --prod deploy/);
    const runtime = text.slice(text.search(/^FROM \S+ AS runtime/m));
    expect(runtime).toMatch(/COPY --from=deploy/);
    expect(runtime).not.toMatch(/COPY --from=(deps|build)/);
  });

  it("runs as the non-root node user, node dist/main.js --http, with a HEALTHCHECK on /healthz", () => {
    const runtime = text.slice(text.search(/^FROM \S+ AS runtime/m));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["node", "dist\/main\.js"\]$/m);
    expect(runtime).toMatch(/^CMD \["--http"\]$/m);
    expect(runtime).toMatch(/^HEALTHCHECK [^\n]*\\\n\s+CMD .*\/healthz/m);
  });
});
