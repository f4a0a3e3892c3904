/**
 * A long-lived Node 24 process of `npm run bench` (bundled to `dist/bench/worker.js`), like one
 * Lambda execution environment: it requires the bundle named by `RR_BUNDLE` once, then invokes its
 * handler with each event the driver sends over IPC, one at a time, and answers with the time
 * taken, the outcome and the AWS calls its process sent (from Node's HTTP client diagnostics
 * channel, so DynamoDB calls are seen as well as Secrets Manager's). On request it also times bare
 * HTTP round trips to an endpoint: the floor one call costs here, without the SDK or our code.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { Agent, request } from 'node:http';
import type {
  ObservedAwsCall,
  WorkerInvoke,
  WorkerReady,
  WorkerRequest,
  WorkerResponse,
  WorkerRoundTrips,
  WorkerRoundTripsResponse,
} from './protocol.js';
import { outcomeOf } from './protocol.js';

interface HandlerModule {
  handler: (event: unknown, context: unknown) => Promise<unknown>;
}

const bundlePath = process.env.RR_BUNDLE;
if (bundlePath === undefined) throw new Error('RR_BUNDLE is not set');

let calls: ObservedAwsCall[] = [];
subscribe('http.client.request.start', (message) => {
  const target = (message as { request: ClientRequest }).request.getHeader('x-amz-target');
  if (typeof target !== 'string') return;
  const [service = '', operation = ''] = target.split('.');
  calls.push({ service: service.toLowerCase(), operation });
});

const before = process.hrtime.bigint();
const bundle = require(bundlePath) as HandlerModule;
const ready: WorkerReady = {
  ready: true,
  node: process.version,
  requireMs: Number(process.hrtime.bigint() - before) / 1e6,
};

const send = (message: WorkerReady | WorkerResponse | WorkerRoundTripsResponse): void => {
  process.send?.(message);
};

const elapsedMs = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e6;

const invoke = async (message: WorkerInvoke): Promise<WorkerResponse> => {
  calls = [];
  const deadline = Date.now() + (message.remainingMs ?? 60_000);
  const context = {
    awsRequestId: `bench-worker-${process.pid}-${message.id}`,
    functionName: 'rotation-remediator',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:rotation-remediator',
    memoryLimitInMB: '256',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  const started = process.hrtime.bigint();
  try {
    const result = await bundle.handler(message.event, context);
    return {
      id: message.id,
      ms: elapsedMs(started),
      outcome: outcomeOf(result),
      result,
      awsCalls: calls,
      maxRssKb: process.resourceUsage().maxRSS,
    };
  } catch (error) {
    const { name, message: text } = error as Error;
    return {
      id: message.id,
      ms: elapsedMs(started),
      outcome: name,
      error: `${name}: ${text}`,
      awsCalls: calls,
      maxRssKb: process.resourceUsage().maxRSS,
    };
  }
};

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One POST of `body` to `endpoint`; resolves when the whole response has arrived. */
const roundTrip = (message: WorkerRoundTrips): Promise<void> =>
  new Promise((resolve, reject) => {
    const outgoing = request(
      message.endpoint,
      {
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': message.target,
          'Content-Length': Buffer.byteLength(message.body),
        },
      },
      (response) => {
        response.on('data', () => {});
        response.on('end', () => resolve());
        response.on('error', reject);
      }
    );
    outgoing.on('error', reject);
    outgoing.end(message.body);
  });

const roundTrips = async (message: WorkerRoundTrips): Promise<WorkerRoundTripsResponse> => {
  await roundTrip(message); // opens the connection
  const samples: number[] = [];
  for (let i = 0; i < message.count; i += 1) {
    const started = process.hrtime.bigint();
    await roundTrip(message);
    samples.push(elapsedMs(started));
  }
  return { id: message.id, samples };
};

process.on('message', (message: WorkerRequest) => {
  void (message.kind === 'invoke' ? invoke(message) : roundTrips(message)).then(send);
});

process.on('disconnect', () => process.exit(0));
send(ready);
