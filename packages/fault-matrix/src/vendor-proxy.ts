import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Faults the emulators cannot make themselves, injected in front of them:
 * - `reset_before`: the connection is reset before the request reaches the vendor;
 * - `commit_then_5xx`: the vendor acts and answers, and the client is told 503 instead;
 * - `hold`: the request waits at the proxy, not yet at the vendor, until {@link VendorProxy.release}.
 */
export type ProxyFault = "reset_before" | "commit_then_5xx" | "hold";

/** One armed fault: applied to the next `times` requests that match. */
export interface ProxyRule {
  fault: ProxyFault;
  method: string;
  path: RegExp;
  times: number;
  /** The 5xx body, in the vendor's own error shape. */
  body?: string;
}

/** An HTTP proxy on 127.0.0.1 in front of one emulator origin. */
export interface VendorProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Arms a fault; it disarms itself once it has been applied `times` times. */
  arm(rule: ProxyRule): void;
  /** Faults applied so far, by kind. */
  readonly applied: Record<ProxyFault, number>;
  /** Lets the held requests go on to the vendor (`forward`), or resets them unseen (`reset`). */
  release(how: "forward" | "reset"): void;
  close(): Promise<void>;
}

/** Starts a proxy forwarding every request to `target` (an emulator's origin) unless a rule applies. */
export async function startVendorProxy(target: string): Promise<VendorProxy> {
  const upstream = new URL(target);
  const rules: ProxyRule[] = [];
  const applied: Record<ProxyFault, number> = { reset_before: 0, commit_then_5xx: 0, hold: 0 };
  const held: Array<(how: "forward" | "reset") => void> = [];
  const take = (req: IncomingMessage): ProxyRule | undefined => {
    const path = (req.url ?? "/").split("?")[0]!;
    const rule = rules.find((r) => r.times > 0 && r.method === req.method && r.path.test(path));
    if (!rule) return undefined;
    rule.times -= 1;
    applied[rule.fault] += 1;
    return rule;
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const rule = take(req);
    if (rule?.fault === "reset_before") {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (rule?.fault === "hold") {
        held.push((how) => (how === "forward" ? forward() : req.socket.destroy()));
        return;
      }
      forward();
    });
    const forward = () => {
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
          agent: false,
        },
        (answer) => {
          const body: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => body.push(chunk));
          answer.on("end", () => {
            if (rule?.fault === "commit_then_5xx") {
              res.writeHead(503, { "content-type": "application/json" });
              res.end(rule.body ?? "{}");
              return;
            }
            const headers = { ...answer.headers };
            delete headers["transfer-encoding"];
            delete headers.connection;
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(Buffer.concat(body));
          });
          answer.on("error", () => res.destroy());
        },
      );
      // The emulator dropped the connection (its own commit-then-drop): so does the proxy.
      forwarded.on("error", () => res.destroy());
      forwarded.end(Buffer.concat(chunks));
    };
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    arm: (rule) => rules.push({ ...rule }),
    applied,
    release(how) {
      for (const go of held.splice(0)) go(how);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
