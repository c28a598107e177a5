import { call } from '../../api/client';
import { pending } from '../../api/pending';

/**
 * Counts a click on a Discover row's card (which rows people open orders the rows). Fire and
 * forget: navigation never waits for it and a failure is not the user's problem.
 */
export function recordClick(sectionKey: string, mediaId?: number): void {
  void call(pending.POST('/api/v1/engagement/clicks', { body: { sectionKey, ...(mediaId != null ? { mediaId } : {}) } })).catch(
    () => undefined,
  );
}
