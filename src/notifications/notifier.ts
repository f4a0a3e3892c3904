/**
 * The notifier the entry points wire from the settings: none when `EVENT_BUS_NAME` is `none`,
 * otherwise one that loads the EventBridge client on its first event (./eventbridge.ts is required
 * lazily, which esbuild bundles as a module initialised on that first call), so dry runs, ignored
 * and rejected events, replays and already-clean secrets never load it.
 */
import type { NotificationSettings } from '../settings.js';
import type { Notification, Notifier, NotifyResult } from './types.js';

/** The notifier of `settings`; undefined when events are off. */
export const createNotifier = (settings: NotificationSettings): Notifier | undefined => {
  const { eventBusName } = settings;
  if (eventBusName === undefined) return undefined;
  let loaded: Notifier | undefined;
  const load = (): Notifier => {
    if (loaded === undefined) {
      const eventBridge: typeof import('./eventbridge.js') = require('./eventbridge.js');
      loaded = new eventBridge.EventBridgeNotifier(eventBusName);
    }
    return loaded;
  };
  return {
    eventBusName,
    notify: async (notification: Notification): Promise<NotifyResult> => {
      try {
        return await load().notify(notification);
      } catch (error) {
        // never reached by PutEvents failures (the notifier resolves with them); a load failure
        return {
          ok: false,
          errorName: error instanceof Error ? error.name : 'Error',
          message: 'The EventBridge client could not be loaded.',
          attempts: 0,
        };
      }
    },
    close: () => loaded?.close?.(),
  };
};
