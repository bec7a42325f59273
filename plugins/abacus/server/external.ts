import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ExternalConfig {
  java: string;
  jar: string;
  database: string;
  timeoutMs: number;
}

/** The real ABACUS is used when both paths exist and `java -version` works (checked at each design). */
export function externalAvailable(config: Omit<ExternalConfig, 'timeoutMs'>): boolean {
  if (!config.jar || !config.database || !fs.existsSync(config.jar) || !fs.existsSync(config.database)) return false;
  return spawnSync(config.java, ['-version'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
}

/**
 * Runs `java -jar <jar> -design -dir <db> -in <in.pdb> -out <out.pdb>` (Biohub's command), at
 * lower priority. Success is exit 0 and `ENERGY` in its output (Biohub's rule); the process is
 * killed on cancel (`signal`) or after `timeoutMs`. Answers the designed PDB and the energy it printed.
 */
export async function runExternal(pdb: string, config: ExternalConfig, signal: AbortSignal, onTick?: (seconds: number) => void): Promise<{ pdb: string; energy: number | null }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'abacus-'));
  const input = path.join(dir, 'in.pdb');
  const output = path.join(dir, 'out.pdb');
  fs.writeFileSync(input, pdb);
  try {
    const child = spawn(config.java, ['-jar', config.jar, '-design', '-dir', config.database, '-in', input, '-out', output], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      if (child.pid) os.setPriority(child.pid, 10);
    } catch {
      /* not allowed here: run at normal priority */
    }
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-2000)));
    let stopped: string | undefined;
    const kill = (why: string) => {
      stopped ??= why;
      child.kill('SIGKILL');
    };
    const onAbort = () => kill('cancelled');
    signal.addEventListener('abort', onAbort);
    const timer = setTimeout(() => kill(`ABACUS did not finish within ${Math.round(config.timeoutMs / 1000)} s and was stopped`), config.timeoutMs);
    const started = Date.now();
    const ticker = setInterval(() => onTick?.(Math.round((Date.now() - started) / 1000)), 1000);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (exitCode) => resolve(exitCode));
    }).finally(() => {
      clearTimeout(timer);
      clearInterval(ticker);
      signal.removeEventListener('abort', onAbort);
    });
    if (stopped) throw new Error(stopped);
    if (code !== 0) throw new Error(`ABACUS failed (exit code ${code}): ${stderr.trim().slice(-300) || 'no message'}`);
    if (!stdout.includes('ENERGY')) throw new Error('ABACUS exited without reporting an ENERGY: the design failed');
    if (!fs.existsSync(output)) throw new Error('ABACUS reported success but wrote no output file');
    const energy = stdout.match(/ENERGY[^\d-]{0,5}(-?\d+(?:\.\d+)?)/);
    return { pdb: fs.readFileSync(output, 'utf8'), energy: energy ? Number(energy[1]) : null };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
