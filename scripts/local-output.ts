/**
 * What `npm run local` prints, as pure functions (scripts/local.ts starts the servers): the export
 * lines of its environment and each event the function emits.
 */
import type { RecordedEvent } from '../emulator/secrets-manager/index.js';

/**
 * `export` lines for `env`, with `AWS_DEFAULT_REGION` beside `AWS_REGION`: the AWS CLI v1 reads only
 * the former, v2 and the SDKs read either.
 */
export const exportLines = (env: Readonly<Record<string, string>>): string[] =>
  Object.entries(env).flatMap(([key, value]) => [
    `export ${key}=${value}`,
    ...(key === 'AWS_REGION' && env.AWS_DEFAULT_REGION === undefined
      ? [`export AWS_DEFAULT_REGION=${value}`]
      : []),
  ]);

/**
 * One emitted event in full: a heading line, then the event as EventBridge delivers it (pretty
 * JSON, the detail whole: a needs-decision's `decide` with its pinned commands included).
 */
export const eventLines = (event: RecordedEvent): string[] => {
  const secret = (event.detail.secret as { name?: string } | undefined)?.name ?? '';
  const delivered = {
    'detail-type': event.detailType,
    source: event.source,
    'event-bus-name': event.eventBusName,
    resources: event.resources,
    detail: event.detail,
  };
  return [
    `event ${event.detailType} ${secret} (bus ${event.eventBusName})`,
    ...JSON.stringify(delivered, null, 2).split('\n'),
  ];
};
