import { connect } from "node:net";
import { startRedisServer } from "@gtm-mcp/tool-kit/testing";
import { defineMatrixSuite } from "./matrix-suite.js";

// The fault matrix on the Redis store: a redis-server of its own on a free port.
defineMatrixSuite({
  name: "redis",
  async open() {
    const redis = await startRedisServer();
    return {
      url: redis.url,
      stop: () => redis.stop(),
      // Down: every client paused (CLIENT PAUSE … ALL) longer than the servers' command timeout (1 s).
      async down(forMs) {
        await new Promise<void>((resolve, reject) => {
          const socket = connect(redis.port, "127.0.0.1", () => {
            const ms = String(forMs);
            socket.write(`*4\r\n$6\r\nCLIENT\r\n$5\r\nPAUSE\r\n$${ms.length}\r\n${ms}\r\n$3\r\nALL\r\n`);
          });
          socket.once("data", (answer) => {
            socket.end();
            if (answer.toString().startsWith("+OK")) resolve();
            else reject(new Error(`CLIENT PAUSE answered ${answer.toString().trim()}`));
          });
          socket.once("error", reject);
        });
        return { up: new Promise<void>((resolve) => setTimeout(resolve, forMs)) };
      },
    };
  },
});
