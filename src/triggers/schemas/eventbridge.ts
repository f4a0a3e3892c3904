/**
 * The EventBridge envelope, field for field the Powertools parser's `EventBridgeSchema`
 * (`@aws-lambda-powertools/parser/schemas/eventbridge`), written with `zod/mini`: that schema is
 * built with classic zod, whose load alone costs more than the rest of an alarm's or a Secrets
 * Manager event's validation. test/unit/triggers/eventbridge-envelope.test.ts checks that both
 * accept and reject the same events with the same issues.
 */
import * as z from 'zod/mini';
// English messages, as every schema of the triggers has them
import './mini.js';

/** Schema of the envelope of every EventBridge event (Powertools `EventBridgeSchema`). */
export const EventBridgeEnvelopeSchema = z.object({
  version: z.string(),
  id: z.string(),
  source: z.string(),
  account: z.string(),
  time: z.iso.datetime(),
  region: z.string(),
  resources: z.array(z.string()),
  'detail-type': z.string(),
  detail: z.unknown(),
  'replay-name': z.optional(z.string()),
});
