import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { defineMatrixSuite } from "./matrix-suite.js";

// The fault matrix on the SQLite store: one file shared by every server process.
defineMatrixSuite({
  name: "sqlite",
  async open(dir) {
    const path = join(dir, "state.sqlite");
    return {
      url: `sqlite:${path}`,
      stop: async () => {},
      // Down: another connection holds the write lock longer than the servers' busy timeout (5 s).
      async down(forMs) {
        const db = new DatabaseSync(path, { timeout: 10_000 });
        db.exec("BEGIN EXCLUSIVE");
        const up = new Promise<void>((resolve) =>
          setTimeout(() => {
            db.exec("COMMIT");
            db.close();
            resolve();
          }, forMs),
        );
        return { up };
      },
    };
  },
});
