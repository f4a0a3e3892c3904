/**
 * The probable cause of a failed rotation, from gathered facts (pure). Log lines are matched by
 * ./log-rules.ts, the configuration and metrics by the rules below; the findings are ranked by
 * confidence, then by {@link CAUSE_PRIORITY}. Only a high or medium finding is claimed: with
 * nothing better, the answer is `unknown`. Every piece of evidence is redacted.
 */
import { maskCredentials } from '../audit/redact.js';
import type { CauseId } from './causes.js';
import { CAUSE_FIXES, CauseId as Cause, Confidence } from './causes.js';
import { rulesMatching } from './log-rules.js';
import { endOfSupport } from './runtimes.js';
import { completedSteps } from './steps.js';
import type { Diagnosis, DiagnosisFacts, Finding, LogLine } from './types.js';

/** Ties between equally confident findings go to the cause listed first (the most specific). */
export const CAUSE_PRIORITY: readonly CauseId[] = [
  Cause.FunctionMissing,
  Cause.FunctionThrottled,
  Cause.RuntimeImportError,
  Cause.KmsAccessDenied,
  Cause.SecretShape,
  Cause.PasswordCharacters,
  Cause.DatabaseLogin,
  Cause.ReplicaNotInSync,
  Cause.NoSecretsManagerRoute,
  Cause.NetworkTimeout,
  Cause.RuntimeEndOfSupport,
  Cause.Unknown,
];

/** Lines of evidence kept per finding, and characters per line. */
export const EVIDENCE_LIMITS = { lines: 3, chars: 300 } as const;

/** What the diagnosis is for. */
export interface DiagnoseOptions {
  /** The pending version whose rotation failed: whose completed steps to read. */
  versionId?: string;
  /** The clock (end of support is relative to it). */
  now: Date;
}

type Evidence = { cause: CauseId; confidence: Confidence; line: string };

const RANK = { [Confidence.High]: 0, [Confidence.Medium]: 1, [Confidence.Low]: 2 } as const;

/** One line of evidence, redacted and bounded. */
const redacted = (text: string): string => maskCredentials(text).slice(0, EVIDENCE_LIMITS.chars);

const logLine = (line: LogLine): string =>
  `${new Date(line.timestamp).toISOString()} ${line.message.trim()}`;

/** Evidence from the log lines. */
const fromLogs = (lines: readonly LogLine[]): Evidence[] =>
  lines.flatMap((line) =>
    rulesMatching(line.message).map((rule) => ({
      cause: rule.cause,
      confidence: rule.confidence,
      line: logLine(line),
    }))
  );

/** Evidence from the function's configuration and metrics. */
const fromConfiguration = (facts: DiagnosisFacts, now: Date): Evidence[] => {
  const fn = facts.function;
  if (fn === undefined) return [];
  const found: Evidence[] = [];
  const add = (cause: CauseId, confidence: Confidence, line: string) =>
    found.push({ cause, confidence, line });
  if (fn.reservedConcurrency === 0) {
    add(Cause.FunctionThrottled, Confidence.High, `${fn.name}: reserved concurrency is 0`);
  } else if ((facts.metrics?.throttles ?? 0) > 0) {
    add(
      Cause.FunctionThrottled,
      Confidence.Medium,
      `${fn.name}: Throttles ${facts.metrics?.throttles}`
    );
  }
  const eos = endOfSupport(fn.runtime, now);
  if (eos !== undefined) {
    add(
      Cause.RuntimeEndOfSupport,
      Confidence.Medium,
      `${fn.name}: runtime ${fn.runtime} deprecated on ${eos}`
    );
  }
  const atTimeout = durationAtTimeout(facts);
  if (atTimeout !== undefined) add(Cause.NetworkTimeout, Confidence.Medium, atTimeout);
  return found;
};

/** "Duration reached the Timeout", when the metrics say so. */
const durationAtTimeout = (facts: DiagnosisFacts): string | undefined => {
  const timeout = facts.function?.timeoutSeconds;
  const max = facts.metrics?.maxDurationMs;
  if (timeout === undefined || max === undefined || max < timeout * 1000 * 0.99) return undefined;
  return `${facts.function?.name}: max Duration ${Math.round(max)} ms at its Timeout of ${timeout} s`;
};

/** A VPC function with no secretsmanager endpoint that timed out: no route to Secrets Manager. */
const fromVpc = (facts: DiagnosisFacts, evidence: readonly Evidence[]): Evidence[] => {
  const fn = facts.function;
  if (fn?.vpc === undefined || facts.secretsManagerEndpoint !== false) return [];
  if (!evidence.some((item) => item.cause === Cause.NetworkTimeout)) return [];
  const vpc = fn.vpc.vpcId ?? fn.vpc.subnetIds.join(',');
  return [
    {
      cause: Cause.NoSecretsManagerRoute,
      confidence: Confidence.Medium,
      line: `${fn.name}: in VPC ${vpc}, which has no secretsmanager interface endpoint`,
    },
  ];
};

/** Groups evidence into findings: the best confidence of each cause, a few lines each. */
const toFindings = (evidence: readonly Evidence[]): Finding[] => {
  const byCause = new Map<CauseId, Evidence[]>();
  for (const item of evidence) byCause.set(item.cause, [...(byCause.get(item.cause) ?? []), item]);
  const findings = [...byCause].map(([cause, items]): Finding => {
    const best = items.reduce((a, b) => (RANK[b.confidence] < RANK[a.confidence] ? b : a));
    const lines = [...new Set(items.map((item) => redacted(item.line)))];
    return {
      cause,
      confidence: best.confidence,
      evidence: lines.slice(0, EVIDENCE_LIMITS.lines),
      ...CAUSE_FIXES[cause],
    };
  });
  return findings.sort(
    (a, b) =>
      RANK[a.confidence] - RANK[b.confidence] ||
      CAUSE_PRIORITY.indexOf(a.cause) - CAUSE_PRIORITY.indexOf(b.cause)
  );
};

/** The findings of a function that does not exist: that alone. */
const missingFunction = (facts: DiagnosisFacts): Finding[] => [
  {
    cause: Cause.FunctionMissing,
    confidence: Confidence.High,
    evidence: [
      redacted(`${facts.function?.name}: GetFunctionConfiguration says it does not exist`),
    ],
    ...CAUSE_FIXES[Cause.FunctionMissing],
  },
];

/** The diagnosis of one failed rotation. */
export const diagnose = (facts: DiagnosisFacts, options: DiagnoseOptions): Diagnosis => {
  const logs = facts.logs ?? [];
  let findings: Finding[];
  if (facts.function?.exists === false) {
    findings = missingFunction(facts);
  } else {
    const evidence = [...fromLogs(logs), ...fromConfiguration(facts, options.now)];
    findings = toFindings([...evidence, ...fromVpc(facts, evidence)]);
  }
  const top = findings.find((finding) => finding.confidence !== Confidence.Low);
  const unknown: Finding = {
    cause: Cause.Unknown,
    confidence: Confidence.Low,
    evidence: [],
    ...CAUSE_FIXES[Cause.Unknown],
  };
  return {
    ...(top ?? unknown),
    findings,
    completedSteps: options.versionId === undefined ? [] : completedSteps(logs, options.versionId),
    missing: facts.missing,
  };
};
