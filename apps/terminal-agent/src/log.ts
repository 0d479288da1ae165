import pino, { type Logger } from "pino";

/** One JSON line per event on stdout: receipt state changes at debug, device and buffer warnings at warn. */
export function createLogger(level: string, terminalId: string): Logger {
  return pino({ level, base: { terminalId } });
}

export type { Logger };
