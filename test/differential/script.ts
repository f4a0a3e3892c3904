/**
 * The script of public SDK calls the differential test runs against each backend. Every version id
 * is a ClientRequestToken chosen here, so both backends hold the same ids and only ARN suffixes,
 * dates and request ids need normalising.
 */
import type { Filter, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  CancelRotateSecretCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  RotateSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { ROTATION_LAMBDA_ARN } from './backends.js';
import type { IdNames, Outcome } from './compare.js';

/** One call of the script (`run` may page by hand through several requests). */
export interface Step {
  call: string;
  run(client: SecretsManagerClient): Promise<unknown>;
}

/** The version id the script uses as token number `n`. */
export const versionId = (n: number): string =>
  `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Short names (`v1`, …) for every token number the script may use (1–199). */
export const ID_NAMES: IdNames = new Map(
  Array.from({ length: 199 }, (_, index) => [versionId(index + 1), `v${index + 1}`])
);

/** How many pages a hand-paged listing may read before it stops (no NextToken loops). */
export const PAGE_BOUND = 10;

const v = versionId;
const LABELS = 'diff/labels';
const ROTATION = 'diff/rotation';
const LATER = 'diff/rotate-later';
const AGAIN = 'diff/rotate-again';
const IDLE = 'diff/cancel-idle';
const DOOMED = 'diff/doomed';
const DOOMED_LABELS = 'diff/doomed-labels';
const TAGGED = 'diff/tagged';
const VERSIONS = 'diff/versions';
const EMPTY = 'diff/empty';

const step = (call: string, run: Step['run']): Step => ({ call, run });

const create = (name: string, n: number, extra: object = {}): Step =>
  step(`CreateSecret ${name} ${n === 0 ? 'without value' : `v${n}`}`, (c) =>
    c.send(
      new CreateSecretCommand({
        Name: name,
        ...(n === 0 ? {} : { ClientRequestToken: v(n), SecretString: `value-${n}` }),
        ...extra,
      })
    )
  );

const describeStep = (name: string, when: string): Step =>
  step(`DescribeSecret ${name} (${when})`, (c) =>
    c.send(new DescribeSecretCommand({ SecretId: name }))
  );

const putValue = (name: string, n: number, stages?: string[]): Step =>
  step(`PutSecretValue ${name} v${n} ${stages?.join('+') ?? 'default stages'}`, (c) =>
    c.send(
      new PutSecretValueCommand({
        SecretId: name,
        ClientRequestToken: v(n),
        SecretString: `value-${n}`,
        VersionStages: stages,
      })
    )
  );

/** UpdateSecretVersionStage with token numbers (0 = parameter left out). */
const stage = (
  name: string,
  label: string,
  [moveTo, removeFrom]: [number, number],
  what: string
): Step =>
  step(`UpdateSecretVersionStage ${name} ${label}: ${what}`, (c) =>
    c.send(
      new UpdateSecretVersionStageCommand({
        SecretId: name,
        VersionStage: label,
        MoveToVersionId: moveTo === 0 ? undefined : v(moveTo),
        RemoveFromVersionId: removeFrom === 0 ? undefined : v(removeFrom),
      })
    )
  );

/** Pages ListSecretVersionIds by hand (at most {@link PAGE_BOUND} pages). */
const listVersions = (name: string, what: string, extra: object): Step =>
  step(`ListSecretVersionIds ${name} (${what})`, async (c) => {
    const pages: { ARN?: string; Name?: string; Versions?: unknown[]; NextToken?: string }[] = [];
    let token: string | undefined;
    do {
      const page = await c.send(
        new ListSecretVersionIdsCommand({ SecretId: name, NextToken: token, ...extra })
      );
      pages.push(page);
      token = page.NextToken;
    } while (token !== undefined && token !== '' && pages.length < PAGE_BOUND);
    return {
      ARN: pages[0]?.ARN,
      Name: pages[0]?.Name,
      Pages: pages.length,
      LastPageNextToken: token === undefined ? '(absent)' : JSON.stringify(token),
      Versions: pages.flatMap((page) => page.Versions ?? []),
    };
  });

/** Pages ListSecrets by hand; keeps only the names (sorted), or the whole entries when `entries`. */
const listSecrets = (what: string, extra: object, entries = false): Step =>
  step(`ListSecrets (${what})`, async (c) => {
    const pages: { SecretList?: { Name?: string }[]; NextToken?: string }[] = [];
    let token: string | undefined;
    do {
      const page = await c.send(new ListSecretsCommand({ NextToken: token, ...extra }));
      pages.push(page);
      token = page.NextToken;
    } while (token !== undefined && token !== '' && pages.length < PAGE_BOUND);
    const list = pages.flatMap((page) => page.SecretList ?? []);
    return {
      Pages: pages.length,
      LastPageNextToken: token === undefined ? '(absent)' : JSON.stringify(token),
      ...(entries ? { SecretList: list } : { Names: list.map((s) => s.Name ?? '').sort() }),
    };
  });

const filter = (Key: Filter['Key'], ...Values: string[]): object => ({
  Filters: [{ Key, Values }],
});

const rotate = (name: string, n: number, what: string, extra: object = {}): Step =>
  step(`RotateSecret ${name} v${n} (${what})`, (c) =>
    c.send(new RotateSecretCommand({ SecretId: name, ClientRequestToken: v(n), ...extra }))
  );

const cancel = (name: string, when: string): Step =>
  step(`CancelRotateSecret ${name} (${when})`, (c) =>
    c.send(new CancelRotateSecretCommand({ SecretId: name }))
  );

const WITH_LAMBDA = {
  RotationLambdaARN: ROTATION_LAMBDA_ARN,
  RotationRules: { AutomaticallyAfterDays: 30 },
};

/** Keeps only `keys` of a response (for fields the reference does not rule on). */
const pick = async (response: Promise<object>, keys: readonly string[]): Promise<object> => {
  const value = (await response) as Record<string, unknown>;
  return Object.fromEntries(keys.map((key) => [key, value[key]]));
};

/** A fresh secret (v<n> AWSCURRENT, v<n+1> AWSPENDING), one refused call, and the labels after it. */
const refusal = (n: number, label: string, ids: [number, number], what: string): Step[] => {
  const name = `diff/refused-${n}`;
  return [
    create(name, n),
    putValue(name, n + 1, ['AWSPENDING']),
    stage(name, label, ids, what),
    describeStep(name, `after: ${what}`),
  ];
};

/** Each refusal of UpdateSecretVersionStage, each on a secret of its own. */
const refusalSteps: Step[] = [
  ...refusal(101, 'AWSCURRENT', [102, 0], 'move without RemoveFromVersionId'),
  ...refusal(103, 'AWSPENDING', [103, 0], 'move without RemoveFromVersionId'),
  ...refusal(105, 'AWSCURRENT', [106, 106], 'RemoveFromVersionId names the wrong version'),
  ...refusal(107, 'AWSCURRENT', [99, 107], 'move to a version that does not exist'),
  ...refusal(109, 'AWSPENDING', [0, 109], 'remove from a version not holding it'),
];

/** Every label move of UpdateSecretVersionStage, on one secret. */
const labelSteps: Step[] = [
  create(LABELS, 1, { Description: 'label moves', Tags: [{ Key: 'env', Value: 'test' }] }),
  create(LABELS, 2),
  putValue(LABELS, 2, ['AWSPENDING']),
  describeStep(LABELS, 'pending on v2'),
  step('GetSecretValue diff/labels AWSPENDING', (c) =>
    c.send(new GetSecretValueCommand({ SecretId: LABELS, VersionStage: 'AWSPENDING' }))
  ),
  stage(LABELS, 'AWSCURRENT', [2, 1], 'promote v2'),
  describeStep(LABELS, 'after the promotion'),
  stage(LABELS, 'AWSPENDING', [0, 2], 'remove from v2'),
  stage(LABELS, 'blue', [1, 0], 'attach a free custom label'),
  stage(LABELS, 'blue', [2, 1], 'move a custom label'),
  stage(LABELS, 'AWSCURRENT', [2, 0], 'move to the version holding it'),
  stage(LABELS, 'AWSCURRENT', [1, 2], 'move back to v1'),
  describeStep(LABELS, 'AWSCURRENT back on v1'),
  putValue(LABELS, 3, ['AWSPENDING']),
  stage(LABELS, 'AWSCURRENT', [3, 1], 'promote v3 (AWSPREVIOUS leaves v2)'),
  describeStep(LABELS, 'after promoting v3'),
  stage(LABELS, 'AWSPENDING', [0, 3], 'remove from v3'),
  stage(LABELS, 'blue', [0, 2], 'remove the last label of v2'),
  stage(LABELS, 'AWSPREVIOUS', [0, 1], 'remove the last label of v1'),
  describeStep(LABELS, 'v1 and v2 deprecated'),
  listVersions(LABELS, 'labelled', {}),
  listVersions(LABELS, 'IncludeDeprecated', { IncludeDeprecated: true }),
];

/** RotateSecret, CancelRotateSecret, and RotateSecret with RotateImmediately=false. */
const rotationSteps: Step[] = [
  create(ROTATION, 11),
  rotate(ROTATION, 12, 'with a Lambda, immediately', WITH_LAMBDA),
  // moto's Docker-free Lambda "runs" all four steps (doing nothing) and moto then stamps
  // LastRotatedDate; our emulator runs no Lambda. Not the same situation, so not compared here.
  step('DescribeSecret diff/rotation (rotation started; LastRotatedDate left out)', async (c) => {
    const { LastRotatedDate: _left, ...rest } = await c.send(
      new DescribeSecretCommand({ SecretId: ROTATION })
    );
    return rest;
  }),
  cancel(ROTATION, 'rotation in progress'),
  describeStep(ROTATION, 'after the cancel'),
  rotate(ROTATION, 13, 'AWSPENDING still on another version'),
  create(LATER, 21),
  // The reference does not say which VersionId (if any) RotateImmediately=false answers with.
  step('RotateSecret diff/rotate-later v22 (with a Lambda, RotateImmediately=false)', (c) =>
    pick(
      c.send(
        new RotateSecretCommand({
          SecretId: LATER,
          ClientRequestToken: v(22),
          RotateImmediately: false,
          ...WITH_LAMBDA,
        })
      ),
      ['ARN', 'Name']
    )
  ),
  describeStep(LATER, 'after RotateImmediately=false'),
  create(AGAIN, 24),
  rotate(AGAIN, 25, 'with a Lambda, immediately', WITH_LAMBDA),
  stage(AGAIN, 'AWSPENDING', [0, 25], 'discard the pending version'),
  step('RotateSecret diff/rotate-again v26 (stored configuration, RotateImmediately=false)', (c) =>
    pick(
      c.send(
        new RotateSecretCommand({
          SecretId: AGAIN,
          ClientRequestToken: v(26),
          RotateImmediately: false,
        })
      ),
      ['ARN', 'Name']
    )
  ),
  describeStep(AGAIN, 'rotation brought back without rotating'),
  create(IDLE, 31),
  cancel(IDLE, 'rotation never configured'),
];

/** DeleteSecret, what a secret marked for deletion refuses, and RestoreSecret. */
const deletionSteps: Step[] = [
  create(DOOMED, 41),
  step('DeleteSecret diff/doomed (force and window)', (c) =>
    c.send(
      new DeleteSecretCommand({
        SecretId: DOOMED,
        ForceDeleteWithoutRecovery: true,
        RecoveryWindowInDays: 7,
      })
    )
  ),
  step('DeleteSecret diff/doomed (7-day window)', (c) =>
    c.send(new DeleteSecretCommand({ SecretId: DOOMED, RecoveryWindowInDays: 7 }))
  ),
  // The reference says DeletedDate is present once deletion is scheduled, not which date it holds.
  step('DescribeSecret diff/doomed (marked for deletion; DeletedDate presence only)', async (c) => {
    const out = await c.send(new DescribeSecretCommand({ SecretId: DOOMED }));
    return { ...out, DeletedDate: out.DeletedDate === undefined ? undefined : '(set)' };
  }),
  step('GetSecretValue diff/doomed (marked for deletion)', (c) =>
    c.send(new GetSecretValueCommand({ SecretId: DOOMED }))
  ),
  cancel(DOOMED, 'marked for deletion'),
  listSecrets('name diff/doomed', filter('name', DOOMED)),
  listSecrets('name diff/doomed, IncludePlannedDeletion', {
    ...filter('name', DOOMED),
    IncludePlannedDeletion: true,
  }),
  step('RestoreSecret diff/doomed', (c) => c.send(new RestoreSecretCommand({ SecretId: DOOMED }))),
  describeStep(DOOMED, 'restored'),
  step('DeleteSecret diff/doomed (force)', (c) =>
    c.send(new DeleteSecretCommand({ SecretId: DOOMED, ForceDeleteWithoutRecovery: true }))
  ),
  describeStep(DOOMED, 'deleted for good'),
  create(DOOMED_LABELS, 43),
  step('DeleteSecret diff/doomed-labels (7-day window)', (c) =>
    c.send(new DeleteSecretCommand({ SecretId: DOOMED_LABELS, RecoveryWindowInDays: 7 }))
  ),
  stage(DOOMED_LABELS, 'blue', [43, 0], 'marked for deletion'),
];

/** Tags, ListSecretVersionIds paging and ListSecrets paging and filters. */
const listingSteps: Step[] = [
  create(TAGGED, 51, {
    Description: 'tagged secret',
    Tags: [
      { Key: 'env', Value: 'prod' },
      { Key: 'team', Value: 'core' },
    ],
  }),
  step('TagResource diff/tagged', (c) =>
    c.send(
      new TagResourceCommand({
        SecretId: TAGGED,
        Tags: [
          { Key: 'owner', Value: 'me' },
          { Key: 'env', Value: 'staging' },
        ],
      })
    )
  ),
  step('UntagResource diff/tagged', (c) =>
    c.send(new UntagResourceCommand({ SecretId: TAGGED, TagKeys: ['team'] }))
  ),
  describeStep(TAGGED, 'after tagging'),
  create(VERSIONS, 61),
  putValue(VERSIONS, 62),
  putValue(VERSIONS, 63),
  putValue(VERSIONS, 64),
  listVersions(VERSIONS, 'MaxResults 1', { MaxResults: 1 }),
  listVersions(VERSIONS, 'IncludeDeprecated, MaxResults 3', {
    IncludeDeprecated: true,
    MaxResults: 3,
  }),
  listVersions('diff/missing', 'unknown secret', {}),
  create(EMPTY, 0),
  describeStep(EMPTY, 'no value yet'),
  putValue(EMPTY, 71),
  step('DescribeSecret diff/empty (by ARN)', async (c) => {
    const { ARN } = await c.send(new DescribeSecretCommand({ SecretId: EMPTY }));
    return c.send(new DescribeSecretCommand({ SecretId: ARN }));
  }),
  listSecrets('all, MaxResults 2', { MaxResults: 2 }),
  listSecrets('name with two values', filter('name', 'diff/tag', 'diff/lab')),
  listSecrets('name and tag-key', {
    Filters: [
      { Key: 'name', Values: ['diff/t'] },
      { Key: 'tag-key', Values: ['owner'] },
    ],
  }),
  listSecrets('name diff/rot', filter('name', 'diff/rot')),
  listSecrets('tag-key env', filter('tag-key', 'env')),
  listSecrets('tag-value staging', filter('tag-value', 'staging')),
  listSecrets('description tagged', filter('description', 'tagged')),
  listSecrets('all tagged', filter('all', 'tagged')),
  listSecrets('entry of diff/tagged', filter('name', TAGGED), true),
  listSecrets('entry of diff/labels', filter('name', LABELS), true),
];

/** The whole script, in order. */
export const SCRIPT: readonly Step[] = [
  ...refusalSteps,
  ...labelSteps,
  ...rotationSteps,
  ...deletionSteps,
  ...listingSteps,
];

/** Runs the script against one client; each call's outcome, in order. */
export const runScript = async (client: SecretsManagerClient): Promise<Outcome[]> => {
  const outcomes: Outcome[] = [];
  for (const { run } of SCRIPT) {
    try {
      outcomes.push({ ok: true, value: await run(client) });
    } catch (error) {
      outcomes.push({ ok: false, error: error instanceof Error ? error.name : String(error) });
    }
  }
  return outcomes;
};
