/** Who the spans come from, before the operator's own settings. */
export interface ServiceIdentity {
  /** The server's short name: `crm`. */
  server: string;
  version: string;
  /** `GTM_ENV`. */
  env: string;
}

/**
 * The resource attributes of a server's spans: `service.name` (`gtm-mcp-<server>`),
 * `service.version` and `deployment.environment.name` (`GTM_ENV`), then whatever
 * `OTEL_RESOURCE_ATTRIBUTES` sets (it wins), then `OTEL_SERVICE_NAME` (it wins over both, as
 * the OpenTelemetry specification says). Read from the environment given, not `process.env`,
 * so a server embedded in a test sees its own.
 */
export function resourceAttributes(
  identity: ServiceIdentity,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const attributes: Record<string, string> = {
    "service.name": `gtm-mcp-${identity.server}`,
    "service.version": identity.version,
    "deployment.environment.name": identity.env,
    ...parseResourceAttributes(env.OTEL_RESOURCE_ATTRIBUTES),
  };
  const serviceName = env.OTEL_SERVICE_NAME?.trim();
  if (serviceName) attributes["service.name"] = serviceName;
  return attributes;
}

/**
 * `OTEL_RESOURCE_ATTRIBUTES`: `key=value` pairs separated by commas, values percent-encoded
 * (W3C Baggage octets). A malformed pair is skipped, never a reason to refuse the start.
 */
export function parseResourceAttributes(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const pair of raw.split(",")) {
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    const key = pair.slice(0, at).trim();
    const value = decode(pair.slice(at + 1).trim());
    if (key !== "" && value !== undefined) out[key] = value;
  }
  return out;
}

function decode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
