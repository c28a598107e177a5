/** In-app notifications: the list (unread first, with the unread count) and marking them read. */
import { api, call } from './client';

export const fetchNotifications = () => call(api.GET('/api/v1/notifications'));

/** Marks some (or all) read; answers the new unread count. */
export const markNotificationsRead = (body: { ids: number[] } | { all: true }) =>
  call(api.POST('/api/v1/notifications/read', { body }));
