import { mkdirSync } from 'node:fs';
import { resolveDataDir } from '../../main.ts';
import { createGateway } from '../../proxy/gateway.ts';
import { scanText, type ScanAnswer } from '../../proxy/scan.ts';
import { openEventStore } from '../../store/open.ts';
import { createLogger } from '../../telemetry/logger.ts';
import { configFor } from '../load-config.ts';
import { exitCodes, type CliIo } from '../io.ts';

export interface ScanOptions {
  json?: boolean;
  config?: string;
  dataDir?: string;
  output?: boolean;
}

/** `bulwark scan TEXT|-`: the scan API from the command line; exit 1 when the policy blocks. */
export async function scanCommand(text: string, options: ScanOptions, io: CliIo): Promise<number> {
  const input = text === '-' ? await io.readStdin() : text;
  const config = configFor(options.config, io.env);
  const logger = createLogger({ level: 'warn', destination: { write: (line: string) => io.stderr(line) } });
  const dataDir = resolveDataDir(options.dataDir, io.env);
  mkdirSync(dataDir, { recursive: true });
  // The configured store (SQLite in the data directory, or PostgreSQL), as `serve` uses: a CLI scan is audited too.
  const store = await openEventStore({ config, dataDir, logger, env: io.env });
  const gateway = createGateway({ config, logger, store, dataDir, env: io.env });
  try {
    const answer = await scanText(gateway, options.output ? { output: input } : { input }, { requestId: `cli_${process.pid}_${Date.now()}`, route: 'cli.scan' });
    io.stdout(options.json ? `${JSON.stringify(answer, null, 2)}\n` : renderHuman(answer));
    return answer.decision === 'block' ? exitCodes.blocked : exitCodes.ok;
  } finally {
    await gateway.close();
  }
}

function renderHuman(answer: ScanAnswer): string {
  const lines = [`decision: ${answer.decision}  (event ${answer.eventId})`];
  for (const finding of answer.findings) {
    lines.push(`  ${finding.action.padEnd(6)} ${finding.ruleId}  score ${finding.score.toFixed(2)}  ${finding.severity}  [${finding.span[0]},${finding.span[1]})  ${finding.message}`);
  }
  if (answer.text !== undefined) lines.push(`redacted: ${answer.text}`);
  if (answer.output !== undefined) lines.push(`redacted: ${answer.output}`);
  return `${lines.join('\n')}\n`;
}
