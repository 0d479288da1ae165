/**
 * A real pseudo-terminal pair from socat (`socat -d -d pty,raw,echo=0 pty,raw,echo=0`): bytes
 * written to one path come out of the other through the kernel's tty layer, as on a serial line.
 * socat prints "N PTY is /dev/pts/X" twice on stderr; we wait for both.
 */
import { type ChildProcess, spawn } from "node:child_process";

export interface SocatPair {
  /** The path the driver opens. */
  hostPath: string;
  /** The path the emulator opens. */
  devicePath: string;
  close(): Promise<void>;
}

export async function openSocatPair(socat = "/usr/bin/socat", timeoutMs = 5_000): Promise<SocatPair> {
  const child: ChildProcess = spawn(socat, ["-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const paths = await new Promise<string[]>((resolve, reject) => {
    let text = "";
    const found: string[] = [];
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`socat did not report two ptys within ${timeoutMs} ms: ${text.trim()}`));
    }, timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${socat} (apt-get install socat): ${err.message}`));
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      for (const m of text.matchAll(/PTY is (\S+)/g)) if (!found.includes(m[1]!)) found.push(m[1]!);
      if (found.length >= 2) {
        clearTimeout(timer);
        resolve(found.slice(0, 2));
      }
    });
  });
  return {
    hostPath: paths[0]!,
    devicePath: paths[1]!,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
