/**
 * Secrets managed by another service (RDS, Redshift, …): who owns one, from its ListSecrets entry
 * alone, and that service's own way to rotate it. The remediator's `remediate` and `resume` refuse
 * such a secret (its labels and rotation belong to the owning service), so the report points there.
 */
import type { SecretListEntry } from '@aws-sdk/client-secrets-manager';

/** What the managed check reads of a ListSecrets entry. */
export type ManagedEntry = Pick<SecretListEntry, 'Name' | 'OwningService' | 'Tags'>;

/** The owning service: `OwningService`, else the prefix of a name like `rds!db-…`; undefined when none. */
export const owningServiceOf = (entry: ManagedEntry): string | undefined => {
  const owner = entry.OwningService ?? '';
  if (owner !== '') return owner;
  const match = /^([a-z][a-z0-9-]*)!/.exec(entry.Name ?? '');
  return match?.[1];
};

/** The value of a tag, or undefined. */
const tagOf = (entry: ManagedEntry, key: string): string | undefined =>
  entry.Tags?.find((tag) => tag.Key === key)?.Value;

/** The last part of an ARN (`arn:aws:rds:…:db:orders` → `orders`). */
const resourceIdOf = (arn: string): string => arn.split(':').at(-1) ?? arn;

/** RDS: the instance's or cluster's own command, from the tags RDS puts on its secret. */
const rdsCommand = (entry: ManagedEntry): string => {
  const cluster = tagOf(entry, 'aws:rds:primaryDBClusterArn');
  if (cluster !== undefined) {
    return `aws rds modify-db-cluster --db-cluster-identifier ${resourceIdOf(cluster)} --rotate-master-user-password --apply-immediately`;
  }
  const instance = tagOf(entry, 'aws:rds:primaryDBInstanceArn');
  return `aws rds modify-db-instance --db-instance-identifier ${instance === undefined ? '<db-instance-identifier>' : resourceIdOf(instance)} --rotate-master-user-password --apply-immediately`;
};

/**
 * What to run (or where to act) for a managed secret's rotation: the owning service's own command,
 * never the remediator's (which refuses it).
 */
export const managedCommandOf = (entry: ManagedEntry, service: string): string => {
  switch (service.toLowerCase()) {
    case 'rds':
      return rdsCommand(entry);
    case 'redshift':
      return 'Amazon Redshift rotates it: ModifyCluster (ManageMasterPassword) or the Redshift console';
    default:
      return `managed by ${service}: use ${service}'s own rotation setting`;
  }
};
