import { CallReportBuilder } from "../calls/call-report.js";
import { readFile, readStream } from "../calls/read-call-log.js";
import { renderReport } from "../calls/render-report.js";

/** Options of `gtm-mcp calls report`. */
export interface CallsReportOptions {
  /** The call-log file; stdin when absent or `-`. */
  file?: string;
  follow: boolean;
  json: boolean;
  /** While following: how often to look for new lines and print the report again. */
  intervalMs: number;
}

/** Where the command reads and writes. */
export interface CallsReportIo {
  stdin: NodeJS.ReadableStream;
  stdout: (text: string) => void;
  /** Ends `--follow` (SIGINT), after a last report. */
  signal?: AbortSignal;
}

/**
 * `gtm-mcp calls report`: calls, error, retry and replay rates and p50/p95 latency per tool
 * and per hour over a server's stderr (its call-log lines; other lines are skipped), the tools
 * whose retry rate rose against the earlier hours, and the contract violations. With
 * `--follow`, the report is printed again whenever new lines arrived (at most every
 * `intervalMs`), and once more at the end.
 */
export async function callsReport(options: CallsReportOptions, io: CallsReportIo): Promise<void> {
  const builder = new CallReportBuilder();
  const print = () => {
    const report = builder.report();
    io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
  };
  if (options.file !== undefined && options.file !== "-") {
    await readFile(builder, options.file, {
      follow: options.follow,
      intervalMs: options.intervalMs,
      ...(io.signal ? { signal: io.signal } : {}),
      onNew: print,
    });
    print();
    return;
  }
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  if (options.follow) {
    timer = setInterval(() => {
      if (!dirty) return;
      dirty = false;
      print();
    }, options.intervalMs);
  }
  try {
    await readStream(builder, io.stdin, () => {
      dirty = true;
    });
  } finally {
    if (timer) clearInterval(timer);
  }
  print();
}
