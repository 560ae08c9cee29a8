import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport, type Server } from "@modelcontextprotocol/server";

/** A real MCP client linked to a server in the same process. */
export interface ConnectedClient {
  client: Client;
  /** Closes the client, then the server. */
  close(): Promise<void>;
}

/**
 * Connects a real MCP `Client` to `server` over the SDK's in-memory transport pair, as the
 * SDK's own tests do: never a hand-made mock of the server.
 */
export async function connectClient(server: Server, name = "test-client"): Promise<ConnectedClient> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name, version: "1.0.0" });
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
