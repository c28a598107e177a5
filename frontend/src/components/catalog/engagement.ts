import { postDiscoverClick } from '../../api/catalog';

/**
 * Counts a click on a Discover row's card (which rows people open orders the rows). Fire and
 * forget: navigation never waits for it and a failure is not the user's problem.
 */
export function recordClick(sectionKey: string, mediaId?: number): void {
  void postDiscoverClick(sectionKey, mediaId).catch(() => undefined);
}
