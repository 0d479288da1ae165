/** Entry point of `kassa-kkt` (bin/kassa-kkt.js). The commands live in shtrih/kkt-cli.ts. */
import { runKktCli } from "../shtrih/kkt-cli.ts";

process.exitCode = await runKktCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
