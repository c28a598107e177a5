/** YouTube channels you follow, their videos with your state, and Get (a download through yt-dlp). */
import { api, call } from './client';
import type { components } from './schema';

type S = components['schemas'];
export type Channel = S['ChannelOut'];
export type FollowChannelInput = S['FollowChannelInput'];
export type ChannelPatch = S['ChannelPatchInput'];
export type Video = S['VideoOut'];
export type VideoPage = S['VideoPage'];
export type VideoDownload = S['VideoDownload'];

/** The API's bounds for keepNewest (FollowChannel, ChannelPatch). */
export const KEEP_NEWEST_MAX = 50;

export const channelKeys = {
  all: ['channels'] as const,
  list: () => ['channels', 'list'] as const,
  detail: (id: string) => ['channels', 'detail', id] as const,
  /** Every loaded page of every channel's videos: the cache a video's state is edited in. */
  videosAll: ['channels', 'videos'] as const,
  videos: (id: string) => ['channels', 'videos', id] as const,
  /** One video (its own page): a one-item page under videosAll, so a card's edits reach it too. */
  video: (mediaId: string) => ['channels', 'videos', 'one', mediaId] as const,
};

const channel = (id: string) => ({ params: { path: { channel_id: id } } });

export const listChannels = async () => (await call(api.GET('/api/v1/channels'))).items;
/**
 * Follows a channel by URL, @handle or UC… id; its feed is read at once. Refusals: 422 `invalid_channel`
 * (fields.url), 404 `channel_not_found`, 502 `channel_unreachable`, 409 `too_many_channels`.
 */
export const followChannel = (body: FollowChannelInput) => call(api.POST('/api/v1/channels', { body }));
export const fetchChannel = (id: string) => call(api.GET('/api/v1/channels/{channel_id}', channel(id)));
/** How many of the channel's newest videos to keep downloaded (0–50; 0: only what you Get). */
export const updateChannel = (id: string, body: ChannelPatch) =>
  call(api.PATCH('/api/v1/channels/{channel_id}', { ...channel(id), body }));
export const unfollowChannel = (id: string) => call(api.DELETE('/api/v1/channels/{channel_id}', channel(id)));

/** Newest first: `limit` videos (1–100) after `cursor`. */
export async function fetchChannelVideos(id: string, query: { limit: number; cursor?: string }): Promise<VideoPage> {
  const page = await call(api.GET('/api/v1/channels/{channel_id}/videos', { params: { ...channel(id).params, query } }));
  return { items: page.items, nextCursor: page.nextCursor ?? null };
}

/** One video of a channel you follow, with your state (404 `video_not_found` otherwise). */
export const fetchVideo = (mediaId: string) =>
  call(api.GET('/api/v1/videos/{media_id}', { params: { path: { media_id: mediaId } } }));

/** Gets a video through yt-dlp (202); asked again while it runs or once done, the same download answers. */
export const getVideo = (mediaId: number) =>
  call(api.POST('/api/v1/videos/{media_id}/get', { params: { path: { media_id: String(mediaId) } } }));
