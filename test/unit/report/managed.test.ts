import type { ManagedEntry } from '../../../src/report/managed.js';
import { managedCommandOf, owningServiceOf } from '../../../src/report/managed.js';

const RDS_ARN = 'arn:aws:rds:us-east-1:123456789012';

describe('owningServiceOf', () => {
  it.each([
    ['OwningService', { Name: 'app/db', OwningService: 'redshift' }, 'redshift'],
    ['a name like rds!…', { Name: 'rds!cluster-1a2b' }, 'rds'],
    ['a plain secret', { Name: 'app/db' }, undefined],
    ['an empty OwningService and a plain name', { Name: 'app/db', OwningService: '' }, undefined],
  ] as const)('%s → %s', (_label, entry: ManagedEntry, expected) => {
    // Act
    const service = owningServiceOf(entry);

    // Assess
    expect(service).toBe(expected);
  });
});

describe('managedCommandOf', () => {
  const cases: [string, ManagedEntry, string, string][] = [
    [
      'an RDS instance (from its tag)',
      { Tags: [{ Key: 'aws:rds:primaryDBInstanceArn', Value: `${RDS_ARN}:db:orders` }] },
      'rds',
      'aws rds modify-db-instance --db-instance-identifier orders --rotate-master-user-password --apply-immediately',
    ],
    [
      'an RDS cluster (from its tag)',
      { Tags: [{ Key: 'aws:rds:primaryDBClusterArn', Value: `${RDS_ARN}:cluster:sales` }] },
      'rds',
      'aws rds modify-db-cluster --db-cluster-identifier sales --rotate-master-user-password --apply-immediately',
    ],
    [
      'an RDS secret without its tags',
      {},
      'rds',
      'aws rds modify-db-instance --db-instance-identifier <db-instance-identifier> --rotate-master-user-password --apply-immediately',
    ],
    [
      'Redshift',
      {},
      'redshift',
      'Amazon Redshift rotates it: ModifyCluster (ManageMasterPassword) or the Redshift console',
    ],
    ['another service', {}, 'appflow', "managed by appflow: use appflow's own rotation setting"],
  ];

  it.each(cases)('%s', (_label, entry, service, expected) => {
    // Act
    const command = managedCommandOf(entry, service);

    // Assess
    expect(command).toBe(expected);
  });
});
