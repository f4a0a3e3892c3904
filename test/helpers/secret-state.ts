/** The state of one secret as the planner reads it, for the pure tests of the planner. */
import type { SecretState } from '../../src/remediation/types.js';

/** `app/db` in us-east-1, rotation on with its function, no dates, tags or labels unless given. */
export const secretState = (overrides: Partial<SecretState> = {}): SecretState => ({
  arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf',
  name: 'app/db',
  rotationEnabled: true,
  rotationLambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:rotator',
  lastRotatedDate: undefined,
  nextRotationDate: undefined,
  deletedDate: undefined,
  owningService: undefined,
  primaryRegion: undefined,
  tags: {},
  versionIdsToStages: {},
  ...overrides,
});
