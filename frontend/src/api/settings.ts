/** Settings: your preferences and notifications, media-server webhooks, your account; the instance's (admin). */
import { api, call } from './client';
import type { components } from './schema';

type S = components['schemas'];
export type UserSettings = S['UserSettings'];
export type SettingsPatch = S['UserSettingsPatchInput'];
export type Instance = S['InstanceSettings'];
export type InstancePatch = S['InstanceSettingsPatchInput'];
export type NotificationSettings = S['NotificationSettings'];
export type NotificationSettingsInput = S['NotificationSettingsIn'];
export type Webhooks = S['WebhooksOut'];

export const settingsKeys = {
  mine: () => ['settings', 'mine'] as const,
  notifications: () => ['settings', 'notifications'] as const,
  webhooks: () => ['settings', 'webhooks'] as const,
  instance: () => ['settings', 'instance'] as const,
};

export const fetchSettings = () => call(api.GET('/api/v1/settings'));
export const patchSettings = (patch: SettingsPatch) => call(api.PATCH('/api/v1/settings', { body: patch }));

/** The `notifications` part of your preferences. */
export const fetchNotificationSettings = async () => (await call(api.GET('/api/v1/me/preferences'))).notifications;
export const putNotificationSettings = async (notifications: NotificationSettingsInput) =>
  (await call(api.PUT('/api/v1/me/preferences', { body: { notifications } }))).notifications;

export const fetchWebhooks = () => call(api.GET('/api/v1/me/webhooks'));
/** Replaces both webhook URLs (the old ones stop working). */
export const rotateWebhooks = () => call(api.POST('/api/v1/me/webhooks/rotate'));

export const fetchInstanceSettings = () => call(api.GET('/api/v1/admin/settings'));
export const patchInstanceSettings = (patch: InstancePatch) => call(api.PATCH('/api/v1/admin/settings', { body: patch }));

// Your account.

/** Everything /seen/ holds about you, as JSON. */
export const exportMyData = () => call(api.GET('/api/v1/me/export'));
