/**
 * The differences between our emulator and moto 5.2 that are moto's fault: for each, the AWS rule
 * (from the reference the project follows, `docs/secrets-manager-semantics.md`) that says the
 * emulator is right.
 */
import type { Quirk } from './compare.js';

/** Every difference the differential test expects; each must still occur. */
export const MOTO_QUIRKS: readonly Quirk[] = [
  {
    id: 'moto.move-without-remove-from',
    call: /diff\/refused-103/,
    field: /^(outcome|VersionIdsToStages\.v103)$/,
    rule: 'A label sits on at most one version. Moving a label that is attached to another version needs RemoveFromVersionId naming that version, else InvalidParameterException; this holds for every label, not only AWSCURRENT (UpdateSecretVersionStage).',
  },
  {
    id: 'moto.refused-move-half-applied',
    call: /^DescribeSecret diff\/refused-107/,
    field: /^VersionIdsToStages\.v107$/,
    rule: 'A refused UpdateSecretVersionStage changes nothing: InvalidParameterException means "re-read and re-plan", which only works if the labels are still where they were. moto takes AWSCURRENT off RemoveFromVersionId before it finds that MoveToVersionId does not exist.',
  },
  {
    id: 'moto.move-onto-holder-refused',
    call: /^UpdateSecretVersionStage diff\/labels AWSCURRENT: move to the version holding it$/,
    field: /^outcome$/,
    rule: 'RemoveFromVersionId is required only when the label sits on another version; attaching a label to the version that already holds it needs none (UpdateSecretVersionStage).',
  },
  {
    id: 'moto.unlabelled-versions-in-stage-map',
    call: /^(DescribeSecret|ListSecrets) /,
    field: /(VersionIdsToStages|SecretVersionsToStages)\./,
    moto: /^\[\]$/,
    rule: 'DescribeSecret.VersionIdsToStages (and ListSecrets.SecretVersionsToStages, the same map) holds the labelled versions only; a version with no label left is deprecated and does not appear (Staging labels, DescribeSecret).',
  },
  {
    id: 'moto.list-versions-arn-is-name',
    call: /^ListSecretVersionIds /,
    field: /^ARN$/,
    rule: 'ARN is always arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 random chars> (Wire protocol); moto answers the name.',
  },
  {
    id: 'moto.list-versions-empty-last-token',
    call: /^ListSecretVersionIds /,
    field: /^LastPageNextToken$/,
    rule: 'The last page carries no NextToken. Some implementations answer "" instead; clients must stop on an absent or empty token either way (Pagination).',
  },
  {
    id: 'moto.list-versions-ignores-max-results',
    call: /^ListSecretVersionIds .*MaxResults/,
    field: /^Pages$/,
    rule: 'ListSecretVersionIds pages by MaxResults (1–100) and NextToken (ListSecretVersionIds); moto answers every version on one page.',
  },
  {
    id: 'moto.list-versions-ignores-include-deprecated',
    call: /^ListSecretVersionIds diff\/(labels \(labelled\)|versions \(MaxResults 1\))$/,
    field: /^Versions\[v(1|2|61|62)\]\./,
    rule: 'Unlabelled (deprecated) versions are listed only with IncludeDeprecated=true (ListSecretVersionIds).',
  },
  {
    id: 'moto.list-versions-unknown-secret-crashes',
    call: /^ListSecretVersionIds diff\/missing/,
    field: /^outcome$/,
    rule: 'Errors are JSON bodies {"__type", "Message"} with HTTP 400, or 500 InternalServiceError (Wire protocol); an unknown secret is ResourceNotFoundException. moto answers HTTP 500 with an HTML page, which the SDK cannot parse (SyntaxError).',
  },
  {
    id: 'moto.next-rotation-date-not-end-of-day',
    call: /^DescribeSecret diff\/(rotation \(rotation started|rotate-later|rotate-again)/,
    field: /^NextRotationDate$/,
    rule: "A schedule of AutomaticallyAfterDays (or rate(n days)) rotates within a day, and DescribeSecret reports that day's last second (...T23:59:59Z, as the emulator does; RotateSecret in docs/secrets-manager-semantics.md, where this is marked as seen in DescribeSecret output, not in a rule); moto reports exactly now + n days.",
  },
  {
    id: 'moto.cancel-keeps-rotation-dates',
    call: /^DescribeSecret diff\/rotation \(after the cancel\)$/,
    field: /^(LastRotatedDate|NextRotationDate)$/,
    rule: 'After CancelRotateSecret, LastRotatedDate and NextRotationDate read as absent (CancelRotateSecret).',
  },
  {
    id: 'moto.rotate-over-incomplete-rotation',
    call: /^RotateSecret diff\/rotation v13/,
    field: /^outcome$/,
    rule: 'RotateSecret is refused with InvalidRequestException while AWSPENDING sits on a version other than AWSCURRENT (RotateSecret, when a rotation fails).',
  },
  {
    id: 'moto.rotate-later-rotates',
    call: /^DescribeSecret diff\/rotate-(later|again) /,
    field: /^(LastRotatedDate|VersionIdsToStages\.v22)$/,
    rule: 'RotateImmediately=false does not rotate: only the testSecret step runs, the AWSPENDING version it makes is removed again, and the schedule is kept (RotateSecret). moto stamps LastRotatedDate and leaves AWSPENDING behind.',
  },
  {
    id: 'moto.rotate-later-clears-lambda-and-doubles-current',
    call: /^DescribeSecret diff\/rotate-again /,
    field: /^(RotationLambdaARN|VersionIdsToStages\.v2[56])$/,
    rule: 'RotateSecret without configuration reuses the stored rotation function, and RotateImmediately=false moves no label (RotateSecret); a label sits on at most one version (Staging labels). moto clears RotationLambdaARN and puts AWSCURRENT on a second version.',
  },
  {
    id: 'moto.stage-move-on-deleted-secret',
    call: /^UpdateSecretVersionStage diff\/doomed-labels /,
    field: /^outcome$/,
    rule: 'UpdateSecretVersionStage on a secret marked for deletion fails with InvalidRequestException (UpdateSecretVersionStage, Deletion).',
  },
];
