import type { Tool } from "@modelcontextprotocol/server";
import { z } from "zod";
import { annotationsOf } from "./annotations.js";
import type { AnyTool, ObjectSchema } from "./define-tool.js";
import { KEY_OVERRIDE_ARG } from "./idempotency-key.js";
import { leanJsonSchema } from "./lean-json-schema.js";

/** A tool with everything derived from its declaration computed once, at server build. */
export interface CompiledTool {
  definition: AnyTool;
  /** Input schema as listed and validated (write tools gain the optional key override). */
  input: ObjectSchema;
  /** The `tools/list` entry. */
  listing: Tool;
  /** The listed output schema (write tools gain `idempotency_key` and `replayed`), for the SDK's result projection. */
  outputJson: Record<string, unknown>;
}

const writeInputExtras = {
  [KEY_OVERRIDE_ARG]: z
    .string()
    .min(8)
    .max(200)
    .regex(/^[A-Za-z0-9._:-]+$/)
    .optional()
    .describe(
      "Optional: replaces the idempotency key the server derives; one key acts once, other arguments with it are refused",
    ),
};

const writeOutputExtras = {
  idempotency_key: z.string().describe("The key this write is recorded under"),
  replayed: z.boolean().describe("True when this is an earlier call's result, returned without acting again"),
};

/** Derives schemas, JSON Schemas and annotations of a tool once. */
export function compileTool(definition: AnyTool): CompiledTool {
  const isWrite = definition.kind === "write";
  const input = (
    isWrite ? definition.input.extend(writeInputExtras) : definition.input
  ).strict() as ObjectSchema;
  const output = (isWrite ? definition.output.extend(writeOutputExtras) : definition.output) as ObjectSchema;
  const inputJson = z.toJSONSchema(input, { target: "draft-2020-12", io: "input" }) as Record<
    string,
    unknown
  >;
  const outputJson = z.toJSONSchema(output, { target: "draft-2020-12", io: "output" }) as Record<
    string,
    unknown
  >;
  delete inputJson.$schema;
  delete outputJson.$schema;
  leanJsonSchema(inputJson);
  leanJsonSchema(outputJson);
  const listing: Tool = {
    name: definition.name,
    title: definition.title,
    description: definition.description,
    inputSchema: inputJson as Tool["inputSchema"],
    outputSchema: outputJson as Tool["outputSchema"],
    annotations: annotationsOf(definition),
  };
  return { definition, input, listing, outputJson };
}
