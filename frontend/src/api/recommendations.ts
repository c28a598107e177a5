/** Recommendations: picks with the reasons they were chosen. */
import type { MediaType } from './types';
import { api, call } from './client';

export const RECOMMENDATIONS_PAGE_SIZE = 24;

export interface RecommendationFilters {
  type?: MediaType;
  page: number;
}

export const recommendationKeys = {
  all: ['recommendations'] as const,
  page: (f: RecommendationFilters) => ['recommendations', f.type ?? null, f.page] as const,
};

export const fetchRecommendations = (f: RecommendationFilters) =>
  call(api.GET('/api/v1/recommendations', { params: { query: { mediaType: f.type, page: f.page, pageSize: RECOMMENDATIONS_PAGE_SIZE } } }));

/** "Not interested": the title is not recommended again. */
export const dismissRecommendation = (mediaId: number) =>
  call(api.POST('/api/v1/recommendations/{media_id}/dismiss', {
    params: { path: { media_id: String(mediaId) }, query: { reason: 'not_interested' } },
  }));
