/**
 * An HTTP proxy on 127.0.0.1 that forwards to a local endpoint (dynalite) and holds each response
 * for a configurable time before sending it, as the emulator's latency fault does for Secrets
 * Manager: the request is applied first, then the answer waits.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running proxy. */
export interface DelayingProxy {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Milliseconds each response is held; change it at any time. */
  delayMs: number;
  stop(): Promise<void>;
}

/** Starts a proxy in front of `target` (an `http://host:port` endpoint). */
export const startDelayingProxy = async (target: string): Promise<DelayingProxy> => {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const timers = new Set<NodeJS.Timeout>();
  const proxy: DelayingProxy = { endpoint: '', delayMs: 0, stop: async () => {} };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            res.writeHead(response.statusCode ?? 502, response.headers);
            res.end(Buffer.concat(chunks));
          }, proxy.delayMs);
          timers.add(timer);
        });
      }
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () =>
    new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      server.close(() => resolve());
      server.closeAllConnections();
      agent.destroy();
    });
  return proxy;
};
