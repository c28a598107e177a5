/** What you follow: shows (followed, muted, followed because you watch them) and people. */
import { api, call } from './client';
import type { components } from './schema';

export type FollowedShow = components['schemas']['FollowOut'];
export type FollowsOut = components['schemas']['FollowList'];

export const followingKeys = {
  all: ['follows'] as const,
};

export const fetchFollows = () => call(api.GET('/api/v1/follows'));

const show = (mediaId: number) => ({ params: { path: { media_id: String(mediaId) } } });

/** Follow a show, or mute one followed because you watch it. */
export const setShowFollow = (mediaId: number, state: 'follow' | 'mute') =>
  call(api.PUT('/api/v1/follows/{media_id}', { ...show(mediaId), body: { state } }));

/** Forget an explicit follow of a show. */
export const forgetShowFollow = (mediaId: number) => call(api.DELETE('/api/v1/follows/{media_id}', show(mediaId)));
