import type { SandboxPort, ServersPort } from "../../src/demo/ports.js";
import type { FakeFaults, FakeWorld } from "../run/fake-world.js";

/** The sandbox and server ports over a {@link FakeWorld}; `killed` lists the servers killed. */
export function ports(world: FakeWorld, chaos: FakeFaults) {
  const killed: string[] = [];
  const sandbox: SandboxPort = {
    book: [...world.accounts.values()].map(({ accountId, domain, contactEmail }) => ({
      accountId,
      domain,
      contactEmail,
    })),
    serverEnv: {},
    state: async () => structuredClone(world.state),
    startChaos: async () => {
      world.faults = { ...chaos };
    },
    enrichmentOutage: async () => {
      world.faults = { ...world.faults, enrichmentOutage: [0, Number.MAX_SAFE_INTEGER] };
      // lifted after a few calls' worth of time, as the emulator's outageForMs does
      setTimeout(() => {
        world.faults = { ...world.faults, enrichmentOutage: [0, 0] };
      }, 5);
    },
    faultsInjected: async () => ({ ...world.state.faults }),
    stop: async () => {},
  };
  const servers: ServersPort = {
    call: (s, t, a) => world.call(s, t, a),
    kill: async (server) => {
      killed.push(server);
      world.kill(server);
    },
    close: async () => {},
  };
  return { sandbox, servers, killed };
}
