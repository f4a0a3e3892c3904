/**
 * A fault-injecting HTTP proxy in front of a DynamoDB endpoint (dynalite has no fault injection).
 * It forwards every request unchanged and can make the Nth PutItem, UpdateItem, DeleteItem or
 * GetItem fail with a DynamoDB error, drop the connection before or after the upstream applied the
 * request (the ambiguous case), or answer late. Faults use the Secrets Manager emulator's
 * {@link FaultInjector}, so specs read the same: `{operation, nth?, times?, kind, ...}`.
 */
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FaultHandle, FaultSpec } from '../../emulator/secrets-manager/index.js';
import { FaultInjector, FaultKind } from '../../emulator/secrets-manager/index.js';

/** The DynamoDB operations the idempotency store makes. */
export const DynamoDbOperation = {
  PutItem: 'PutItem',
  UpdateItem: 'UpdateItem',
  DeleteItem: 'DeleteItem',
  GetItem: 'GetItem',
} as const;
/** One of {@link DynamoDbOperation}. */
export type DynamoDbOperation = (typeof DynamoDbOperation)[keyof typeof DynamoDbOperation];

/** DynamoDB error names (the part after `#` in `__type`). */
export const DynamoDbErrorName = {
  Throttling: 'ThrottlingException',
  InternalServerError: 'InternalServerError',
} as const;

/** One request the proxy received. */
export interface ProxiedCall {
  /** Operation from `X-Amz-Target` (`DynamoDB_20120810.PutItem` → `PutItem`). */
  readonly operation: string;
  /** Whether the request reached the upstream (so it may have been applied). */
  readonly forwarded: boolean;
  /** Upstream HTTP status, the injected error's status, or 'dropped'. */
  readonly status: number | 'dropped';
  /** Error name of an error response (`ConditionalCheckFailedException`, an injected one...). */
  readonly errorName?: string;
  /** ms the upstream took to answer (forwarded calls only). */
  readonly upstreamMs?: number;
}

type MutableCall = { -readonly [K in keyof ProxiedCall]: ProxiedCall[K] };

const TARGET_PREFIX = 'DynamoDB_20120810.';
const ERROR_TYPE_PREFIX = 'com.amazonaws.dynamodb.v20120810#';

const readAll = async (stream: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
};

const errorNameOf = (status: number, body: Buffer): string | undefined => {
  if (status < 400) return undefined;
  try {
    const type = (JSON.parse(body.toString('utf8')) as { __type?: unknown }).__type;
    return typeof type === 'string' ? type.slice(type.indexOf('#') + 1) : undefined;
  } catch {
    return undefined;
  }
};

interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A running proxy; start it with {@link startFaultyDynamoDb}. */
export class FaultyDynamoDb {
  /** `http://127.0.0.1:<port>`: point a DynamoDB client here. */
  readonly endpoint: string;
  /** Fault injection, by DynamoDB operation name. */
  readonly faults = new FaultInjector();

  readonly #server: Server;
  readonly #upstream: URL;
  readonly #sockets = new Set<Socket>();
  readonly #delays = new Set<() => void>();
  readonly #calls: MutableCall[] = [];

  private constructor(server: Server, upstream: string) {
    this.#server = server;
    this.#upstream = new URL(upstream);
    this.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.#handle(req, res).catch(() => res.destroy());
    });
  }

  /** Starts a proxy on 127.0.0.1 in front of `upstream` (e.g. dynalite's endpoint). */
  static async start(upstream: string): Promise<FaultyDynamoDb> {
    const server = createServer({ keepAliveTimeout: 5_000 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FaultyDynamoDb(server, upstream);
  }

  /** Injects a fault into calls of a DynamoDB operation. */
  inject(spec: FaultSpec & { operation: DynamoDbOperation }): FaultHandle {
    return this.faults.inject(spec);
  }

  /** Every request received, in order (a snapshot). */
  get calls(): readonly ProxiedCall[] {
    return this.#calls.map((call) => ({ ...call }));
  }

  /** Closes the server and every open connection. */
  async stop(): Promise<void> {
    for (const finish of this.#delays) finish();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      for (const socket of this.#sockets) socket.destroy();
      this.#server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX)
      ? target.slice(TARGET_PREFIX.length)
      : target;
    const body = await readAll(req);
    const call: MutableCall = { operation, forwarded: false, status: 'dropped' };
    this.#calls.push(call);
    const fault = this.faults.next(operation);

    if (fault?.kind === FaultKind.Error) {
      const payload = JSON.stringify({
        __type: `${ERROR_TYPE_PREFIX}${fault.errorName}`,
        message: fault.message,
      });
      call.status = fault.status;
      call.errorName = fault.errorName;
      res.writeHead(fault.status, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(payload),
        'x-amzn-requestid': `proxy-${this.#calls.length}`,
      });
      res.end(payload);
      return;
    }
    if (fault?.kind === FaultKind.DropBeforeApply) {
      this.#drop(res);
      return;
    }

    call.forwarded = true;
    const started = Date.now();
    const upstream = await this.#forward(req, body);
    call.upstreamMs = Date.now() - started;
    call.status = upstream.status;
    const errorName = errorNameOf(upstream.status, upstream.body);
    if (errorName !== undefined) call.errorName = errorName;

    if (fault?.kind === FaultKind.DropAfterApply) {
      call.status = 'dropped';
      this.#drop(res);
      return;
    }
    if (fault?.kind === FaultKind.Latency) await this.#sleep(fault.latencyMs);
    if (res.destroyed || res.socket === null || res.socket.destroyed) return;
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  }

  #forward(req: IncomingMessage, body: Buffer): Promise<UpstreamResponse> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: this.#upstream.hostname,
          port: this.#upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: this.#upstream.host, 'content-length': body.length },
        },
        (incoming) => {
          readAll(incoming)
            .then((responseBody) =>
              resolve({
                status: incoming.statusCode ?? 500,
                headers: incoming.headers,
                body: responseBody,
              })
            )
            .catch(reject);
        }
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  #drop(res: ServerResponse): void {
    res.socket?.destroy();
    res.destroy();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.#delays.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.#delays.add(finish);
    });
  }
}

/** Starts a fault-injecting proxy in front of the DynamoDB at `upstream`. */
export const startFaultyDynamoDb = (upstream: string): Promise<FaultyDynamoDb> =>
  FaultyDynamoDb.start(upstream);
