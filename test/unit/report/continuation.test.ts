import { sealJson } from '../../../src/aws/sealed-json.js';
import { ValidationError } from '../../../src/errors.js';
import {
  decodeReportContinuation,
  encodeReportContinuation,
} from '../../../src/report/continuation.js';
import type { ReportContinuation } from '../../../src/report/types.js';
import { encodeContinuation } from '../../../src/sweep/continuation.js';

const continuation: ReportContinuation = {
  nextToken: 'token-1',
  includePendingAge: true,
  totals: {
    stuck: 1,
    managed: 7,
    overdue: 2,
    off: 3,
    'never-rotated': 4,
    rotating: 5,
    notConfigured: 6,
  },
  startedAt: '2026-11-29T12:00:00.000Z',
  run: 2,
};

describe('the report continuation', () => {
  it('decodes what it encodes', () => {
    // Act
    const decoded = decodeReportContinuation(encodeReportContinuation(continuation));

    // Assess
    expect(decoded).toEqual(continuation);
  });

  it('decodes a continuation issued before the managed class, counting managed 0', () => {
    // Prepare: the payload as the earlier version wrote it (no `managed` count)
    const { managed: _managed, ...before } = continuation.totals;
    const text = sealJson({
      v: 1,
      k: 'report',
      t: 'token-1',
      a: true,
      c: before,
      s: continuation.startedAt,
      r: 2,
    });

    // Act
    const decoded = decodeReportContinuation(text);

    // Assess
    expect(decoded.totals).toEqual({ ...continuation.totals, managed: 0 });
  });

  it.each([
    ['an altered body', (text: string) => `A${text.slice(1)}`],
    [
      'an altered digest',
      (text: string) => `${text.slice(0, -1)}${text.endsWith('A') ? 'B' : 'A'}`,
    ],
    ['a truncated token', (text: string) => text.slice(0, -3)],
    ['junk', () => 'not-a-token'],
    [
      "a sweep's continuation",
      () =>
        encodeContinuation({
          listed: false,
          nextToken: 't',
          pending: [],
          dryRun: true,
          startedAt: '2026-11-29T12:00:00.000Z',
          run: 1,
        }),
    ],
  ])('refuses %s with a ValidationError that never echoes it', (_label, alter) => {
    // Prepare
    const text = alter(encodeReportContinuation(continuation));

    // Act
    const act = () => decodeReportContinuation(text);

    // Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(/report\.continuation: is not a report continuation/);
  });
});
