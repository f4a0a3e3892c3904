/**
 * A secret's versions (ListSecretVersionIds, every page), through the SDK's paginator: the
 * remediation's evidence (when the pending version was created, which ids are this secret's), the
 * sweep's examination and the fleet report read them alike. No listing can loop: the paginator
 * stops on an absent, empty or repeated token, and `tokenGuarded` on any token seen before.
 */
import type {
  SecretsManagerClient,
  SecretVersionsListEntry,
} from '@aws-sdk/client-secrets-manager';
import { secretsManagerSdk } from './clients.js';
import { tokenGuarded } from './token-guard.js';

/** Entries per ListSecretVersionIds page (the maximum). */
const PAGE_SIZE = 100;

/**
 * Every version of a secret that carries a label, or with `includeDeprecated` every version the
 * service still keeps (ListSecretVersionIds, all pages).
 */
export const listVersions = async (
  client: SecretsManagerClient,
  secretArn: string,
  options: { includeDeprecated?: boolean } = {}
): Promise<SecretVersionsListEntry[]> => {
  const versions: SecretVersionsListEntry[] = [];
  const pages = secretsManagerSdk().paginateListSecretVersionIds(
    { client, pageSize: PAGE_SIZE, stopOnSameToken: true },
    {
      SecretId: secretArn,
      ...(options.includeDeprecated === true ? { IncludeDeprecated: true } : {}),
    }
  );
  for await (const { page } of tokenGuarded(pages)) versions.push(...(page.Versions ?? []));
  return versions;
};
