/**
 * Loads the built `dist/handler.js`, the file we ship, into the test. Each call loads a fresh copy,
 * so module-scope clients and configuration see the environment as it is at that moment.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';

/** The bundle's exports that tests use. */
export interface Bundle {
  handler: (event: unknown, context?: Context) => Promise<unknown>;
}

/** Path of the bundle. */
export const BUNDLE_PATH = resolve(__dirname, '../../dist/handler.js');

/** Requires a fresh copy of the bundle (build it first: `npm run build`). */
export const loadBundle = (): Bundle => {
  if (!existsSync(BUNDLE_PATH)) {
    throw new Error('dist/handler.js is missing: run `npm run build` first (npm test does).');
  }
  let bundle: Bundle | undefined;
  jest.isolateModules(() => {
    bundle = require(BUNDLE_PATH) as Bundle;
  });
  if (bundle === undefined) throw new Error('dist/handler.js exported nothing');
  return bundle;
};

/** A Lambda context with `remainingMs` left. */
export const lambdaContext = (remainingMs = 30_000, requestId = 'req-test-0001'): Context => {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'rotation-remediator',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:rotation-remediator',
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/rotation-remediator',
    logStreamName: '2026/11/25/[$LATEST]test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
};
