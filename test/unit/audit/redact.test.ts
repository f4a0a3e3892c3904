import { Logger } from '@aws-lambda-powertools/logger';
import fc from 'fast-check';
import { maskCredentials, REDACTED, redactingReplacer } from '../../../src/audit/redact.js';
import { LogCapture } from '../../helpers/log-capture.js';

describe('maskCredentials', () => {
  it.each([
    {
      shape: 'AWS access key id',
      text: 'key AKIAIOSFODNN7EXAMPLE leaked',
      hidden: 'AKIAIOSFODNN7EXAMPLE',
    },
    {
      shape: 'temporary access key id',
      text: 'ASIAY34FZKBOKMUTVV7A',
      hidden: 'ASIAY34FZKBOKMUTVV7A',
    },
    {
      shape: 'bearer token',
      text: 'Authorization: Bearer abcdef0123456789xyz',
      hidden: 'abcdef0123456789xyz',
    },
    {
      shape: 'JWT',
      text: 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U here',
      hidden: 'eyJzdWIiOiIxMjM0NTY3ODkwIn0',
    },
    {
      shape: 'private key block',
      text: 'see -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY----- end',
      hidden: 'MIIEpAIBAAKCAQEA',
    },
    { shape: 'password=', text: 'db password=hunter2!! was wrong', hidden: 'hunter2' },
    { shape: 'password: quoted', text: 'password: "correct horse"', hidden: 'correct horse' },
    {
      shape: 'secret access key',
      text: 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      hidden: 'wJalrXUtnFEMI',
    },
  ])('masks a $shape', ({ text, hidden }) => {
    // Act
    const masked = maskCredentials(text);

    // Assess
    expect(masked).not.toContain(hidden);
    expect(masked).toContain(REDACTED);
  });

  it('leaves ordinary text alone', () => {
    // Prepare
    const text = 'INC-4711: rotation of app/db failed at setSecret, discard per runbook';

    // Act & Assess
    expect(maskCredentials(text)).toBe(text);
  });
});

describe('redactingReplacer', () => {
  it.each([
    'authorization',
    'Authorization',
    'cookie',
    'cookies',
    'token',
    'sessionToken',
    'password',
    'dbPassword',
    'SecretString',
    'secret_binary',
    'secretBinary',
    'credentials',
    'apiKey',
    'x-api-key',
    'API_KEY',
  ])('redacts the key %s at any depth', (key) => {
    // Prepare
    const value = { a: { b: [{ [key]: 'value-7f3a9c' }] } };

    // Act
    const text = JSON.stringify(value, redactingReplacer);

    // Assess
    expect(text).not.toContain('value-7f3a9c');
    expect(text).toContain(REDACTED);
  });

  it('redacts inside Powertools Logger records, and one value cannot forge a second line', () => {
    // Prepare
    const capture = new LogCapture().start();
    const logger = new Logger({
      serviceName: 'test',
      logLevel: 'INFO',
      jsonReplacerFn: redactingReplacer,
    });

    // Act
    logger.info('x', {
      headers: { Authorization: 'Bearer abcdefghijklmnop' },
      reason: 'ok\n{"level":"INFO","message":"forged"} password=hunter2',
    });
    capture.stop();

    // Assess
    expect(capture.lines).toHaveLength(1);
    expect(capture.lines[0]).not.toContain('abcdefghijklmnop');
    expect(capture.lines[0]).not.toContain('hunter2');
    expect(capture.records()[0]?.message).toBe('x');
  });

  it('redactingReplacer copies a whole value with the same rules', () => {
    // Act
    const copy: unknown = JSON.parse(
      JSON.stringify({ token: 't', reason: 'AKIAIOSFODNN7EXAMPLE', n: 1 }, redactingReplacer)
    );

    // Assess
    expect(copy).toEqual({ token: REDACTED, reason: REDACTED, n: 1 });
  });
});

describe('maskCredentials keeps identifiers readable', () => {
  it.each([
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf',
    'arn:aws:sts::123456789012:assumed-role/rr-operator/alice',
    'rotation failed at setSecret; tokens were fine',
  ])('leaves %s alone', (text) => {
    // Act & Assess
    expect(maskCredentials(text)).toBe(text);
  });

  it.each([
    { text: 'secret=abc123', hidden: 'abc123' },
    { text: 'api_key: zzz999', hidden: 'zzz999' },
    { text: 'token = "t0k3n"', hidden: 't0k3n' },
  ])('masks $text', ({ text, hidden }) => {
    // Act & Assess
    expect(maskCredentials(text)).not.toContain(hidden);
  });
});

describe('free-text redaction over generated credential shapes', () => {
  const keyWord = fc.constantFrom(
    'password',
    'passwd',
    'pwd',
    'secret',
    'token',
    'api_key',
    'apiKey',
    'SecretString',
    'aws_secret_access_key',
    'private_key'
  );
  const prefix = fc.constantFrom('', 'DB_', 'PG', 'GITHUB_', 'app.', 'x-');
  const spelling = fc.constantFrom<(word: string) => string>(
    (word) => word,
    (word) => word.toUpperCase(),
    (word) => `${word.slice(0, 2)}\u200B${word.slice(2)}`,
    (word) => [...word].map((c) => String.fromCharCode(c.charCodeAt(0) - 0x20 + 0xff00)).join('')
  );
  const value = fc.stringMatching(/^[A-Za-z0-9!$%*+^_~-]{6,24}$/).map((v) => `Zq${v}`);
  const shape = fc
    .record({ word: keyWord, prefix, spell: spelling, value, form: fc.nat(4) })
    .map(({ word, prefix, spell, value, form }) => {
      const key = spell(`${prefix}${word}`);
      const text = [
        `${key}=${value}`,
        `"${key}":"${value}"`,
        `${key} => ${value}`,
        `'${key}': '${value}'`,
        `postgres://app:${value}@db.internal/app`,
      ][form];
      return { text: text ?? '', value };
    });

  it('never shows the value of a generated credential shape', () => {
    fc.assert(
      fc.property(shape, fc.string({ maxLength: 20 }), ({ text, value }, around) => {
        // Act
        const masked = maskCredentials(`${around} ${text} ${around}`);
        // Assess
        expect(masked).not.toContain(value);
      }),
      { numRuns: 500 }
    );
  });

  const secretName = fc.stringMatching(/^[A-Za-z0-9/_+=.@-]{1,64}$/);
  const arnOf = (name: string) =>
    `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`;

  it('keeps generated legal secret names and ARNs whole, in fields and in free text', () => {
    fc.assert(
      fc.property(secretName, (name) => {
        // Prepare
        const detail = { secret: { name, arn: arnOf(name) }, cli: `--secret-id '${arnOf(name)}'` };
        // Act
        const serialised = JSON.parse(JSON.stringify(detail, redactingReplacer)) as typeof detail;
        // Assess
        expect(serialised).toEqual(detail);
      }),
      { numRuns: 500 }
    );
  });

  it.each([
    ['a right-to-left override', 'a\u202Eb', 'a\\u202eb'],
    ['a bell', 'a\u0007b', 'a\\u0007b'],
    ['a first-strong isolate', 'a\u2068b', 'a\\u2068b'],
    ['a line separator', 'a\u2028b', 'a\\u2028b'],
    ['a zero-width joiner (dropped)', 'a\u200Db', 'ab'],
  ])('escapes %s', (_case, text, expected) => {
    // Act & Assess
    expect(maskCredentials(text)).toBe(expected);
  });
});
