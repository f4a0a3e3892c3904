import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { MutableCall, RecordedCall } from './calls.js';
import { CallLog } from './calls.js';
import { EmulatorError, ErrorMessage, ErrorName } from './errors.js';
import { FaultInjector, FaultKind } from './faults.js';
import { HookRegistry } from './hooks.js';
import type { QuotaBucket, QuotaSetting } from './quotas.js';
import { QuotaLimiter } from './quotas.js';
import type { SideService } from './side-service.js';
import { SecretStore } from './store.js';
import type { JsonRequest } from './wire.js';
import { isOperation } from './wire.js';

/** Options of {@link startSecretsManagerEmulator}. */
export interface EmulatorOptions {
  /** Default 'us-east-1'. */
  region?: string;
  /** Default '123456789012'. */
  accountId?: string;
  /** false/undefined = off; true = AWS numbers; object = overrides (requests/s), others at AWS numbers. */
  quotas?: QuotaSetting;
  /** Default 0 = a free port. */
  port?: number;
}

const TARGET_PREFIX = 'secretsmanager.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAX_BODY_BYTES = 1_048_576;

interface PendingDelay {
  cancel(): void;
}

interface Outcome {
  status: number;
  body: object;
  errorName?: string;
}

function isRecord(value: unknown): value is JsonRequest {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorOutcome(error: EmulatorError): Outcome {
  return {
    status: error.status,
    body: { __type: error.name, Message: error.message },
    errorName: error.name,
  };
}

function secretIdOf(request: JsonRequest): string | undefined {
  if (typeof request.SecretId === 'string') return request.SecretId;
  if (typeof request.Name === 'string') return request.Name;
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new EmulatorError(ErrorName.Serialization, 'Request body too large.');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A running local Secrets Manager speaking the JSON 1.1 wire protocol on 127.0.0.1. Start it with
 * {@link startSecretsManagerEmulator}; point a `SecretsManagerClient` at {@link endpoint}.
 * Per request: record → quota check → fault (error / drop-before-apply) → beforeApply hooks →
 * apply → (drop-after-apply / latency) → respond.
 */
export class SecretsManagerEmulator {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Region in ARNs. */
  readonly region: string;
  /** Account in ARNs. */
  readonly accountId: string;
  /** Fault injection. */
  readonly faults = new FaultInjector();
  /** Hooks run right before an operation is applied. */
  readonly hooks = new HookRegistry();
  /** Direct access to state for seeding and assertions, bypassing HTTP, quotas and faults. */
  readonly store: SecretStore;

  #server: Server;
  #sockets = new Set<Socket>();
  #delays = new Set<PendingDelay>();
  #log = new CallLog();
  #limiter: QuotaLimiter;
  #stopped: Promise<void> | undefined;
  #services: SideService[] = [];

  private constructor(server: Server, options: EmulatorOptions) {
    this.#server = server;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.store = new SecretStore({ region: this.region, accountId: this.accountId });
    this.#limiter = new QuotaLimiter(options.quotas);
    this.addService(this.store.cloudTrail);
    const { port } = server.address() as AddressInfo;
    this.endpoint = `http://127.0.0.1:${port}`;
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.#handle(req, res).catch(() => {
        if (!res.headersSent && !res.destroyed) res.destroy();
      });
    });
  }

  /** Starts an emulator listening on 127.0.0.1 (use {@link startSecretsManagerEmulator}). */
  static async start(options: EmulatorOptions = {}): Promise<SecretsManagerEmulator> {
    const server = createServer({ keepAliveTimeout: 5_000 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new SecretsManagerEmulator(server, options);
  }

  /** Every request received, in order (a snapshot). */
  get calls(): readonly RecordedCall[] {
    return this.#log.list();
  }

  /** How many requests (of `operation`, or in all) were received. */
  countCalls(operation?: string): number {
    return this.#log.count(operation);
  }

  /** The most requests for the bucket's operations received within any one-second window. */
  maxRatePerSecond(bucket: QuotaBucket): number {
    return this.#log.maxRatePerSecond(bucket);
  }

  /** Serves `service` beside Secrets Manager on this endpoint (see ./side-service.ts); returns it. */
  addService<T extends SideService>(service: T): T {
    this.#services.push(service);
    return service;
  }

  /** The operation a target names, and what applies it; undefined for an unknown target. */
  #route(
    target: string
  ): { operation: string; apply: (request: JsonRequest) => object } | undefined {
    if (target.startsWith(TARGET_PREFIX)) {
      const operation = target.slice(TARGET_PREFIX.length);
      return isOperation(operation)
        ? { operation, apply: (request) => this.store.execute(operation, request) }
        : undefined;
    }
    const prefixOf = (candidate: SideService) =>
      [candidate.targetPrefix, ...(candidate.alternativePrefixes ?? [])].find((prefix) =>
        target.startsWith(prefix)
      );
    const service = this.#services.find((candidate) => prefixOf(candidate) !== undefined);
    const operation = service === undefined ? '' : target.slice(prefixOf(service)?.length ?? 0);
    return service?.operations.includes(operation)
      ? { operation, apply: (request) => service.execute(operation, request) }
      : undefined;
  }

  /** Forgets the recorded calls. */
  resetCalls(): void {
    this.#log.reset();
  }

  /** Replaces the quota setting (false = off; true = AWS numbers; object = overrides); buckets start full. */
  setQuotas(quotas: QuotaSetting): void {
    this.#limiter.configure(quotas);
  }

  /** Closes the server and every open socket; idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= new Promise<void>((resolve) => {
      for (const delay of this.#delays) delay.cancel();
      this.#server.close(() => resolve());
      for (const socket of this.#sockets) socket.destroy();
      this.#server.closeAllConnections();
    });
    return this.#stopped;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const target = req.headers['x-amz-target'];
    const rawTarget = Array.isArray(target) ? (target[0] ?? '') : (target ?? '');
    const route = this.#route(rawTarget);
    const operation = route?.operation ?? rawTarget;
    let request: JsonRequest = {};
    let parseError: EmulatorError | undefined;
    try {
      const text = await readBody(req);
      const parsed: unknown = text.trim() === '' ? {} : JSON.parse(text);
      if (isRecord(parsed)) request = parsed;
      else
        parseError = new EmulatorError(
          ErrorName.Serialization,
          'Request body must be a JSON object.'
        );
    } catch (error) {
      if (req.destroyed && !req.complete) return;
      parseError =
        error instanceof EmulatorError
          ? error
          : new EmulatorError(ErrorName.Serialization, 'Request body is not valid JSON.');
    }
    const call = this.#log.start(operation, secretIdOf(request), at);

    if (req.method !== 'POST' || route === undefined) {
      this.#respond(
        res,
        call,
        errorOutcome(
          new EmulatorError(
            ErrorName.UnknownOperation,
            `Unknown operation: ${rawTarget === '' ? '(no X-Amz-Target)' : rawTarget}`
          )
        )
      );
      return;
    }
    if (parseError !== undefined) {
      this.#respond(res, call, errorOutcome(parseError));
      return;
    }
    if (!this.#limiter.tryAcquire(operation)) {
      this.#respond(
        res,
        call,
        errorOutcome(new EmulatorError(ErrorName.Throttling, ErrorMessage.rateExceeded))
      );
      return;
    }
    const fault = this.faults.next(operation);
    if (fault?.kind === FaultKind.Error) {
      this.#respond(
        res,
        call,
        errorOutcome(new EmulatorError(fault.errorName, fault.message, fault.status))
      );
      return;
    }
    if (fault?.kind === FaultKind.DropBeforeApply) {
      this.#drop(res, call);
      return;
    }

    let outcome: Outcome;
    try {
      await this.hooks.run(operation, { secretId: secretIdOf(request) ?? '', store: this.store });
      const body = route.apply(request);
      call.applied = true;
      outcome = { status: 200, body };
    } catch (error) {
      outcome = errorOutcome(
        error instanceof EmulatorError
          ? error
          : new EmulatorError(
              ErrorName.InternalServiceError,
              error instanceof Error ? error.message : String(error)
            )
      );
    }

    if (fault?.kind === FaultKind.DropAfterApply) {
      if (outcome.errorName !== undefined) call.errorName = outcome.errorName;
      this.#drop(res, call);
      return;
    }
    if (fault?.kind === FaultKind.Latency) await this.#delay(fault.latencyMs);
    this.#respond(res, call, outcome);
  }

  #respond(res: ServerResponse, call: MutableCall, outcome: Outcome): void {
    call.status = outcome.status;
    if (outcome.errorName !== undefined) call.errorName = outcome.errorName;
    if (res.destroyed || res.socket === null || res.socket.destroyed) {
      call.clientAborted = true;
      return;
    }
    const payload = JSON.stringify(outcome.body);
    const headers: Record<string, string | number> = {
      'Content-Type': CONTENT_TYPE,
      'Content-Length': Buffer.byteLength(payload),
      'x-amzn-RequestId': randomUUID(),
    };
    if (outcome.errorName !== undefined) headers['x-amzn-ErrorType'] = outcome.errorName;
    res.writeHead(outcome.status, headers);
    res.end(payload);
  }

  #drop(res: ServerResponse, call: MutableCall): void {
    call.status = 'dropped';
    res.socket?.destroy();
    res.destroy();
  }

  #delay(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const pending: PendingDelay = {
        cancel: () => {
          clearTimeout(timer);
          this.#delays.delete(pending);
          resolve();
        },
      };
      const timer = setTimeout(pending.cancel, ms);
      this.#delays.add(pending);
    });
  }
}

/** Starts a Secrets Manager emulator on 127.0.0.1 (a free port unless `port` is given). */
export function startSecretsManagerEmulator(
  options: EmulatorOptions = {}
): Promise<SecretsManagerEmulator> {
  return SecretsManagerEmulator.start(options);
}
