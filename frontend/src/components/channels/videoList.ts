import { createEffect } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import type { Video } from '../../api/channels';

/**
 * The videos a list shows, matched by mediaId across refetches: a poll (or a cache edit) patches each
 * card in place, so a card keeps its DOM, its focus and its pending action instead of being rebuilt.
 */
export function createVideoList(items: () => readonly Video[]): Video[] {
  const [videos, setVideos] = createStore<Video[]>([]);
  createEffect(() => setVideos(reconcile([...items()], { key: 'mediaId' })));
  return videos;
}
