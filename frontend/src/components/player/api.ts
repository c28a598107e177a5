/** The player's API calls, typed by the generated schema. */
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import type { ProgressSample } from './progress';

export type StreamResponse = components['schemas']['StreamResponse'];
export type UserSettings = components['schemas']['UserSettings'];

export const fetchStream = (itemId: string) =>
  call(api.GET('/api/v1/library/{item_id}/stream', { params: { path: { item_id: itemId } } }));

export const fetchSettings = () => call(api.GET('/api/v1/settings'));

export interface ProgressTarget {
  mediaId: number;
  episodeId?: number | null;
}

/** One heartbeat; `keepalive` lets it finish after the page is gone (tab closed, navigated away). */
export function sendProgress(target: ProgressTarget, sample: ProgressSample, keepalive: boolean) {
  const body = {
    mediaId: target.mediaId,
    ...(target.episodeId != null ? { episodeId: target.episodeId } : {}),
    positionSeconds: Math.round(sample.positionSeconds * 10) / 10,
    durationSeconds: Math.round(sample.durationSeconds * 10) / 10,
  };
  return call(api.POST('/api/v1/progress', { body, keepalive }));
}
