// A leaf module: racing work against a call's deadline, shared by the read and write halves
// of the pipeline.

/** What {@link raceDeadline} returns when the deadline won. */
export const OVERDUE: unique symbol = Symbol("overdue");

/** Resolves with `work`'s value, or {@link OVERDUE} once `deadline` (epoch ms) passes. */
export async function raceDeadline<T>(work: Promise<T>, deadline: number): Promise<T | typeof OVERDUE> {
  let timer: NodeJS.Timeout | undefined;
  const overdue = new Promise<typeof OVERDUE>((resolve) => {
    timer = setTimeout(() => resolve(OVERDUE), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, overdue]);
  } finally {
    clearTimeout(timer);
  }
}
