import { toApiError, type ApiError } from '../../api/client';
import { createApiQuery, setQueryData, type ApiQuery } from '../../api/queryClient';
import type { components } from '../../api/schema';
import {
  fetchNotificationSettings, fetchWebhooks, putNotificationSettings as put, rotateWebhooks, settingsKeys,
  type NotificationSettings, type Webhooks,
} from '../../api/settings';
import { optimistic } from '../../lib/optimistic';

type S = components['schemas'];
export type { NotificationSettings, Webhooks };
export type NotificationRules = S['Rules'];
export type RuleKey = keyof NotificationRules;
export type Channel = S['Channel'];

export const RULES: { key: RuleKey; label: string; hint: string }[] = [
  { key: 'episodeAired', label: 'New episodes', hint: 'An episode of a show you follow has aired.' },
  { key: 'wantedDownloaded', label: 'Wanted titles downloaded', hint: 'Something on your wanted list is downloaded and ready to play.' },
  { key: 'downloadFailed', label: 'Failed downloads', hint: 'A download gave up after its retries.' },
  { key: 'gameReleased', label: 'Game releases', hint: 'A game on your wishlist is out.' },
];

/** Apprise URL shapes people reach for first; the full list is on Apprise's wiki. */
export const CHANNEL_EXAMPLES = [
  { service: 'ntfy', example: 'ntfy://my-seen-topic' },
  { service: 'E-mail', example: 'mailto://user:app-password@gmail.com' },
  { service: 'Discord', example: 'discord://webhook_id/webhook_token' },
  { service: 'Telegram', example: 'tgram://bot_token/chat_id' },
  { service: 'Gotify', example: 'gotify://gotify.example.com/app_token' },
];

/** The channels list is sent whole: `{id}` keeps a stored channel (its secret URL never comes back). */
const keep = (channels: Channel[]) => channels.map((c) => ({ id: c.id }));

export interface NotificationPrefs {
  query: ApiQuery<NotificationSettings>;
  setRule(key: RuleKey, on: boolean): Promise<void>;
  /** Resolves to the API's refusal (a URL Apprise does not understand, no settings key on the server), if any. */
  addChannel(label: string, url: string): Promise<ApiError | undefined>;
  removeChannel(id: string): Promise<void>;
}

/** Notification rules and channels (the `notifications` part of GET/PUT /api/v1/me/preferences). */
export function createNotificationPrefs(): NotificationPrefs {
  const query = createApiQuery(() => ({ queryKey: settingsKeys.notifications(), queryFn: fetchNotificationSettings }));
  const edit = (update: (current: NotificationSettings) => NotificationSettings) =>
    setQueryData<NotificationSettings>(settingsKeys.notifications(), (current) => current && update(current));

  const setRule = async (key: RuleKey, on: boolean) => {
    await optimistic({
      apply: () => {
        const before = query.data?.rules[key];
        edit((c) => ({ ...c, rules: { ...c.rules, [key]: on } }));
        return before;
      },
      commit: async () => {
        const saved = await put({ rules: { [key]: on } });
        edit((c) => ({ ...c, rules: { ...c.rules, [key]: saved.rules[key] } }));
      },
      rollback: (before) => edit((c) => ({ ...c, rules: { ...c.rules, [key]: before ?? true } })),
      failure: "Couldn't change your notification rules",
    });
  };

  const addChannel = async (label: string, url: string) => {
    try {
      const saved = await put({ channels: [...keep(query.data?.channels ?? []), { label, url }] });
      edit((c) => ({ ...c, channels: saved.channels }));
      return undefined;
    } catch (error) {
      return toApiError(error);
    }
  };

  const removeChannel = async (id: string) => {
    await optimistic({
      apply: () => {
        const before = query.data?.channels ?? [];
        edit((c) => ({ ...c, channels: before.filter((ch) => ch.id !== id) }));
        return before;
      },
      commit: async () => {
        const saved = await put({ channels: keep(query.data?.channels ?? []) });
        edit((c) => ({ ...c, channels: saved.channels }));
      },
      rollback: (before) => edit((c) => ({ ...c, channels: before })),
      failure: "Couldn't remove the channel",
    });
  };

  return { query, setRule, addChannel, removeChannel };
}

/** Your Jellyfin and Plex webhook URLs (GET /api/v1/me/webhooks); `rotate` replaces both. */
export function createWebhooks() {
  const query = createApiQuery(() => ({ queryKey: settingsKeys.webhooks(), queryFn: fetchWebhooks }));
  const rotate = async () => {
    const fresh = await rotateWebhooks();
    setQueryData<Webhooks>(settingsKeys.webhooks(), () => fresh);
    return fresh;
  };
  return { query, rotate };
}

/** The URL to paste into the media server: the API's absolute one, else this origin + the path. */
export const hookUrl = (hook: S['HookUrl']) => hook.url ?? new URL(hook.path, location.origin).toString();
