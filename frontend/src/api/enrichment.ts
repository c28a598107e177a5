/** Enrichment at a glance (admin → Catalog data): per-source coverage, pause/resume, retry, unmatched items. */
import { api, call } from './client';
import type { components } from './schema';

type S = components['schemas'];
export type SourceCoverage = S['SourceCoverage'];
export type EnrichmentSource = SourceCoverage['source'];
export type UnmatchedItem = S['UnmatchedItem'];
export type UnmatchedPage = S['UnmatchedPage'];
export type MatchedItem = S['MatchedItem'];
export type RetryQueued = S['RetryQueued'];

export const enrichmentKeys = {
  overview: () => ['admin', 'enrichment'] as const,
  unmatched: (q: string) => ['admin', 'enrichment', 'unmatched', q] as const,
};

const source = (name: EnrichmentSource) => ({ params: { path: { source: name } } });

export const fetchEnrichment = async () => (await call(api.GET('/api/v1/admin/enrichment'))).sources;
/** Pausing stops the source's scheduled work until resumed (TVDB has none: 409). */
export const pauseSource = (name: EnrichmentSource) => call(api.POST('/api/v1/admin/enrichment/{source}/pause', source(name)));
export const resumeSource = (name: EnrichmentSource) => call(api.POST('/api/v1/admin/enrichment/{source}/resume', source(name)));
/** Failed and not-found items become pending again (202); media servers are synced now. */
export const retrySource = (name: EnrichmentSource) => call(api.POST('/api/v1/admin/enrichment/{source}/retry', source(name)));
/** Media server movies and shows without a catalog title, by title; `cursor` continues a page. */
export const fetchUnmatched = (q: string, cursor?: string | null, limit = 25) =>
  call(api.GET('/api/v1/admin/enrichment/unmatched', { params: { query: { source: 'media_servers', q: q || null, cursor: cursor ?? null, limit } } }));
/** Links a media server item to a catalog title of its kind (a show's episodes follow); later syncs keep it. */
export const matchItem = (itemId: string, mediaId: number) =>
  call(api.POST('/api/v1/admin/enrichment/unmatched/{source}/{item_id}/match', {
    params: { path: { source: 'media_servers', item_id: itemId } },
    body: { mediaId },
  }));
