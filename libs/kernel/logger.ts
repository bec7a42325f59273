import pino, { type Logger } from 'pino';

/** JSON logs on stdout, one line per event, tagged with the process role and pid. */
export function createLogger(role: string, level: string): Logger {
  return pino({ level, base: { role, pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}
