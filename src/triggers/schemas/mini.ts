/**
 * zod's `zod/mini`, as the trigger schemas use it: the same validation core as classic zod at a
 * fraction of its load time (classic zod registers every method of every schema class and
 * bundles every locale). English messages are set as classic zod sets them, only when no locale
 * is configured, so a field's message is the same whichever flavour checks it.
 */
import * as z from 'zod/mini';
import { globalConfig } from 'zod/v4/core';
import { en } from 'zod/v4/locales';

if (globalConfig.localeError === undefined) z.config(en());

/** A string field; `must be a string` when it is not one. */
export const text = () => z.string({ error: 'must be a string' });
