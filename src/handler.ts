/**
 * The Lambda entry point. Thin on purpose: settings from the environment (validated at start-up),
 * the clients and the logger, created once per execution environment, wired around the handler
 * factory of src/application/create-handler.ts. The Secrets Manager client is made on its first
 * use (at init instead under provisioned concurrency): events that never call AWS skip the SDK.
 */
import { createHandler } from './application/create-handler.js';
import { createLogger } from './audit/logger.js';
import { createMetrics } from './audit/metrics.js';
import { createSecretsManagerClient } from './aws/clients.js';
import { onFirstUse } from './aws/on-first-use.js';
import { createFailedStepResolver } from './history/resolver.js';
import { createApplyOnce } from './idempotency/apply-once.js';
import { createNotifier } from './notifications/notifier.js';
import { createDecisionLedger } from './notifications/reminders.js';
import { loadSettings } from './settings.js';

const settings = loadSettings(process.env);
const client = onFirstUse(() => createSecretsManagerClient());
if (settings.startup.loadClientsAtInit) client.load();
const secretsManager = client.value;

/** The Lambda handler. */
export const handler = createHandler({
  settings,
  secretsManager,
  logger: createLogger(settings.observability),
  metrics: createMetrics(settings.observability),
  applyOnce: settings.idempotency === undefined ? undefined : createApplyOnce(settings.idempotency),
  failedSteps: settings.remediator.failedStepLookup ? createFailedStepResolver() : undefined,
  notifier: createNotifier(settings.notifications),
  // held decisions are recorded next to the idempotency records, under their own key prefix
  decisions:
    settings.idempotency === undefined
      ? undefined
      : createDecisionLedger(
          settings.idempotency.tableName,
          settings.notifications.decisionReminderSeconds
        ),
  resume: settings.resume,
});
