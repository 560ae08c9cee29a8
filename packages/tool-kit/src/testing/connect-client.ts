import { Client, type ClientOptions } from "@modelcontextprotocol/client";
import {
  type ElicitRequestFormParams,
  type ElicitResult,
  InMemoryTransport,
  type Server,
} from "@modelcontextprotocol/server";

/** A real MCP client linked to a server in the same process. */
export interface ConnectedClient {
  client: Client;
  /** Closes the client, then the server. */
  close(): Promise<void>;
}

/** Options of {@link connectClient}. */
export interface ConnectClientOptions {
  /**
   * The person answering elicitation requests (form mode): given, the client declares
   * `elicitation: { form: {} }` and answers each request with what this returns.
   */
  elicit?: (params: ElicitRequestFormParams) => ElicitResult | Promise<ElicitResult>;
  /** Client options (a pinned protocol era, say), merged under the elicitation capability. */
  clientOptions?: ClientOptions;
}

/**
 * Connects a real MCP `Client` to `server` over the SDK's in-memory transport pair, as the
 * SDK's own tests do: never a hand-made mock of the server.
 */
export async function connectClient(
  server: Server,
  name = "test-client",
  options: ConnectClientOptions = {},
): Promise<ConnectedClient> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const clientOptions: ClientOptions = {
    ...options.clientOptions,
    ...(options.elicit
      ? { capabilities: { ...options.clientOptions?.capabilities, elicitation: { form: {} } } }
      : {}),
  };
  const client = new Client({ name, version: "1.0.0" }, clientOptions);
  const elicit = options.elicit;
  if (elicit) {
    client.setRequestHandler("elicitation/create", async (request) =>
      elicit(request.params as ElicitRequestFormParams),
    );
  }
  await server.connect(serverSide);
  await client.connect(clientSide);
  return {
    client,
    async close() {
      await client.close();
      await server.close();
    },
  };
}
