import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from "@opentelemetry/sdk-trace";

/**
 * The sampler `OTEL_TRACES_SAMPLER` (and `OTEL_TRACES_SAMPLER_ARG`, the ratio) name:
 * `always_on`, `always_off`, `traceidratio`, and their `parentbased_` forms (the default:
 * `parentbased_always_on`). Read from the environment given, since the SDK does not read it
 * itself; an unknown name or a ratio outside 0..1 falls back to the default (with `warning`
 * saying so) rather than refusing the start: tracing is an observer.
 */
export function samplerFromEnv(env: NodeJS.ProcessEnv, warning: (text: string) => void = () => {}): Sampler {
  const name = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() || "parentbased_always_on";
  const rawRatio = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  let ratio = rawRatio ? Number(rawRatio) : 1;
  if (!(ratio >= 0 && ratio <= 1)) {
    warning(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1; using 1`);
    ratio = 1;
  }
  const root = (kind: string): Sampler | undefined =>
    kind === "always_on"
      ? new AlwaysOnSampler()
      : kind === "always_off"
        ? new AlwaysOffSampler()
        : kind === "traceidratio"
          ? new TraceIdRatioBasedSampler(ratio)
          : undefined;
  const parentBased = name.startsWith("parentbased_");
  const chosen = root(parentBased ? name.slice("parentbased_".length) : name);
  if (chosen === undefined) {
    warning(`OTEL_TRACES_SAMPLER "${name}" is not supported; using parentbased_always_on`);
    return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
  return parentBased ? new ParentBasedSampler({ root: chosen }) : chosen;
}
