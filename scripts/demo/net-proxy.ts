import net from "node:net";

/**
 * A store's network link to the central server, as a TCP pass-through the demo can cut: while it
 * is down every connection is reset at once (open ones included), which is what a till sees when
 * the shop's router drops its uplink. Nothing passing through is read or changed.
 */
export interface NetworkLink {
  /** `http://127.0.0.1:<port>`: give it to the store's agents as their central URL. */
  url: string;
  readonly up: boolean;
  setUp(up: boolean): void;
  close(): Promise<void>;
}

export async function startNetworkLink(target: { host: string; port: number }): Promise<NetworkLink> {
  const open = new Set<net.Socket>();
  let up = true;
  const server = net.createServer((client) => {
    if (!up) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    open.add(client).add(upstream);
    const drop = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get up() {
      return up;
    },
    setUp(next) {
      up = next;
      if (!next) for (const socket of open) socket.resetAndDestroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
