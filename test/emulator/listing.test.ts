/** ListSecretVersionIds and ListSecrets: pagination (including empty pages), IncludeDeprecated, filters. */
import type { ListSecretsCommandInput } from '@aws-sdk/client-secrets-manager';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  paginateListSecretVersionIds,
} from '@aws-sdk/client-secrets-manager';
import { rawCall, uniqueName, useEmulator } from './support.js';

const under = useEmulator();

afterEach(() => {
  under.emulator.store.emptyPagesEvery = undefined;
});

/** A secret with 4 versions: AWSCURRENT, AWSPREVIOUS and 2 deprecated ones. */
async function secretWithDeprecated(): Promise<{ name: string; ids: string[] }> {
  const name = uniqueName('versions');
  const created = await under.client.send(
    new CreateSecretCommand({ Name: name, SecretString: 'v0' })
  );
  const ids = [created.VersionId ?? ''];
  for (const value of ['v1', 'v2', 'v3']) {
    const put = await under.client.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: value })
    );
    ids.push(put.VersionId ?? '');
  }
  return { name, ids };
}

interface VersionsPage {
  versions: string[];
  nextToken: string | undefined;
}

async function allVersionPages(
  secretId: string,
  extra: { MaxResults?: number; IncludeDeprecated?: boolean } = {}
): Promise<VersionsPage[]> {
  const pages: VersionsPage[] = [];
  let nextToken: string | undefined;
  do {
    const out = await under.client.send(
      new ListSecretVersionIdsCommand({ SecretId: secretId, NextToken: nextToken, ...extra })
    );
    nextToken = out.NextToken;
    pages.push({ versions: (out.Versions ?? []).map((v) => v.VersionId ?? ''), nextToken });
  } while (nextToken !== undefined);
  return pages;
}

describe('ListSecretVersionIds', () => {
  it.each([
    { includeDeprecated: false, expected: 2 },
    { includeDeprecated: true, expected: 4 },
  ])(
    'IncludeDeprecated=$includeDeprecated lists $expected versions',
    async ({ includeDeprecated, expected }) => {
      // Prepare
      const { name, ids } = await secretWithDeprecated();

      // Act
      const out = await under.client.send(
        new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: includeDeprecated })
      );

      // Assess
      const versions = out.Versions ?? [];
      expect(versions).toHaveLength(expected);
      expect(out.NextToken).toBeUndefined();
      for (const v of versions) expect(v.CreatedDate).toBeInstanceOf(Date);
      const deprecated = versions.filter((v) => (v.VersionStages ?? []).length === 0);
      expect(deprecated.map((v) => v.VersionId)).toEqual(includeDeprecated ? ids.slice(0, 2) : []);
    }
  );

  it('pages with MaxResults until the token is absent', async () => {
    // Prepare
    const { name, ids } = await secretWithDeprecated();

    // Act
    const pages = await allVersionPages(name, { MaxResults: 1, IncludeDeprecated: true });

    // Assess
    expect(pages).toHaveLength(4);
    expect(pages.flatMap((p) => p.versions)).toEqual(ids);
  });

  it('can serve empty pages that still carry a NextToken', async () => {
    // Prepare
    const { name, ids } = await secretWithDeprecated();
    under.emulator.store.emptyPagesEvery = 1;

    // Act
    const pages = await allVersionPages(name, { MaxResults: 2, IncludeDeprecated: true });

    // Assess
    expect(pages[0]).toEqual({ versions: [], nextToken: expect.any(String) });
    expect(pages.filter((p) => p.versions.length === 0).length).toBeGreaterThanOrEqual(2);
    expect(pages.flatMap((p) => p.versions)).toEqual(ids);
  });

  it('works with the SDK paginator over empty pages', async () => {
    // Prepare
    const { name } = await secretWithDeprecated();
    under.emulator.store.emptyPagesEvery = 2;

    // Act
    const seen: string[] = [];
    for await (const page of paginateListSecretVersionIds(
      { client: under.client, pageSize: 1 },
      { SecretId: name }
    )) {
      seen.push(...(page.Versions ?? []).map((v) => v.VersionId ?? ''));
    }

    // Assess
    expect(seen).toHaveLength(2);
  });

  it('rejects a token that is not its own with InvalidNextTokenException', async () => {
    // Prepare
    const { name } = await secretWithDeprecated();

    // Act
    const outcome = under.client.send(
      new ListSecretVersionIdsCommand({ SecretId: name, NextToken: 'garbage' })
    );

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
  });
});

describe('ListSecrets', () => {
  const prefix = uniqueName('list');
  const names = {
    a: `${prefix}/alpha`,
    b: `${prefix}/beta`,
    c: `${prefix}/gamma`,
    gone: `${prefix}/deleted`,
    managed: `rds!${prefix.replaceAll('/', '-')}-db`,
    replica: `${prefix}/replica`,
  };

  beforeAll(async () => {
    under.emulator.store.seedFailedRotation({
      name: names.a,
      step: 'setSecret',
      tags: { team: 'payments', env: 'prod' },
      description: 'Payments database',
    });
    under.emulator.store.seedCleanSecret({
      name: names.b,
      tags: { team: 'search' },
      rotationEnabled: true,
    });
    under.emulator.store.seedCleanSecret({ name: names.c, description: 'Gamma ray service' });
    under.emulator.store.seedCleanSecret({ name: names.gone });
    await under.client.send(new DeleteSecretCommand({ SecretId: names.gone }));
    under.emulator.store.seedFailedRotation({
      name: names.managed,
      step: 'setSecret',
      kind: 'managed',
    });
    under.emulator.store.seedFailedRotation({
      name: names.replica,
      step: 'setSecret',
      kind: 'replica',
      primaryRegion: 'eu-west-1',
    });
  });

  async function listNames(input: ListSecretsCommandInput) {
    const out = await under.client.send(new ListSecretsCommand(input));
    return (out.SecretList ?? []).map((s) => s.Name);
  }

  it.each([
    {
      case: 'name prefix',
      filters: [{ Key: 'name' as const, Values: [`${prefix}/`] }],
      expected: ['a', 'b', 'c', 'replica'],
    },
    {
      case: 'two name values (OR)',
      filters: [{ Key: 'name' as const, Values: [names.a, names.c] }],
      expected: ['a', 'c'],
    },
    {
      case: 'tag-key',
      filters: [
        { Key: 'name' as const, Values: [prefix] },
        { Key: 'tag-key' as const, Values: ['team'] },
      ],
      expected: ['a', 'b'],
    },
    {
      case: 'tag-value',
      filters: [
        { Key: 'tag-value' as const, Values: ['pay'] },
        { Key: 'name' as const, Values: [prefix] },
      ],
      expected: ['a'],
    },
    {
      case: 'negated tag-value',
      filters: [
        { Key: 'tag-value' as const, Values: ['!pay'] },
        { Key: 'name' as const, Values: [prefix] },
      ],
      expected: ['b', 'c', 'replica'],
    },
    {
      case: 'description',
      filters: [
        { Key: 'description' as const, Values: ['Gamma'] },
        { Key: 'name' as const, Values: [prefix] },
      ],
      expected: ['c'],
    },
    {
      case: 'owning-service',
      filters: [
        { Key: 'owning-service' as const, Values: ['rds'] },
        { Key: 'name' as const, Values: ['rds!'] },
      ],
      expected: ['managed'],
    },
    {
      case: 'primary-region',
      filters: [{ Key: 'primary-region' as const, Values: ['eu-west-1'] }],
      expected: ['replica'],
    },
    {
      case: 'all (words, any case)',
      filters: [{ Key: 'all' as const, Values: ['payments'] }],
      expected: ['a'],
    },
  ])('filters by $case', async ({ filters, expected }) => {
    // Prepare
    const wanted = expected.map((k) => names[k as keyof typeof names]).sort();

    // Act
    const listed = await listNames({ Filters: filters });

    // Assess
    expect([...listed].sort()).toEqual(wanted);
  });

  it.each([
    { include: false, expected: false },
    { include: true, expected: true },
  ])(
    'IncludePlannedDeletion=$include lists the deleted secret: $expected',
    async ({ include, expected }) => {
      // Prepare
      const filters = [{ Key: 'name' as const, Values: [names.gone] }];

      // Act
      const out = await under.client.send(
        new ListSecretsCommand({ Filters: filters, IncludePlannedDeletion: include })
      );

      // Assess
      expect((out.SecretList ?? []).length === 1).toBe(expected);
      if (expected) expect(out.SecretList?.[0]?.DeletedDate).toBeInstanceOf(Date);
    }
  );

  it('returns the entry fields the remediator reads', async () => {
    // Prepare
    const filters = [{ Key: 'name' as const, Values: [names.a] }];

    // Act
    const out = await under.client.send(new ListSecretsCommand({ Filters: filters }));

    // Assess
    const entry = out.SecretList?.[0];
    expect(entry).toMatchObject({
      ARN: under.emulator.store.describe(names.a).ARN,
      Name: names.a,
      RotationEnabled: true,
      RotationLambdaARN: expect.any(String),
      RotationRules: { AutomaticallyAfterDays: 30 },
      SecretVersionsToStages: under.emulator.store.labels(names.a),
      Tags: [
        { Key: 'team', Value: 'payments' },
        { Key: 'env', Value: 'prod' },
      ],
    });
    for (const date of [
      'NextRotationDate',
      'LastRotatedDate',
      'LastChangedDate',
      'CreatedDate',
    ] as const) {
      expect(entry?.[date]).toBeInstanceOf(Date);
    }
  });

  it.each([
    { emptyPagesEvery: undefined, minEmpty: 0 },
    { emptyPagesEvery: 1, minEmpty: 2 },
  ])(
    'pages (emptyPagesEvery=$emptyPagesEvery) until the token is absent',
    async ({ emptyPagesEvery, minEmpty }) => {
      // Prepare
      under.emulator.store.emptyPagesEvery = emptyPagesEvery;
      const filters = [{ Key: 'name' as const, Values: [`${prefix}/`] }];

      // Act
      const pages: string[][] = [];
      let token: string | undefined;
      do {
        const out = await under.client.send(
          new ListSecretsCommand({ Filters: filters, MaxResults: 2, NextToken: token })
        );
        pages.push((out.SecretList ?? []).map((s) => s.Name ?? ''));
        token = out.NextToken;
      } while (token !== undefined);

      // Assess
      expect(pages.flat().sort()).toEqual([names.a, names.b, names.c, names.replica].sort());
      expect(pages.filter((p) => p.length === 0).length).toBeGreaterThanOrEqual(minEmpty);
      if (minEmpty > 0) expect(pages[0]).toEqual([]);
    }
  );

  it('sorts descending with SortOrder desc', async () => {
    // Prepare
    const filters = [{ Key: 'name' as const, Values: [`${prefix}/`] }];

    // Act
    const asc = await listNames({ Filters: filters, SortOrder: 'asc' });
    const desc = await listNames({ Filters: filters, SortOrder: 'desc' });

    // Assess
    expect(desc).toEqual([...asc].reverse());
  });

  it('rejects an unknown filter key with InvalidParameterException', async () => {
    // Prepare
    const body = { Filters: [{ Key: 'colour', Values: ['red'] }] };

    // Act
    const response = await rawCall(under.emulator, 'secretsmanager.ListSecrets', body);

    // Assess
    expect(response.status).toBe(400);
    expect(response.json.__type).toBe('InvalidParameterException');
  });
});
