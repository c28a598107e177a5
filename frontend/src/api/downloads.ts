/** Downloads: magnets, .torrent files and direct links fetched by the home worker. */
import { formatBytes } from '../lib/format';
import { postToBucket } from './bucketUpload';
import { api, call } from './client';
import type { components } from './schema';
import type { Download, DownloadStatus } from './types';

export type NewDownload = components['schemas']['CreateDownloadInput'];

export const downloadKeys = {
  all: ['downloads'] as const,
  list: (status: DownloadStatus | null) => ['downloads', 'list', status] as const,
  detail: (id: string) => ['downloads', 'detail', id] as const,
  events: (id: string) => ['downloads', 'events', id] as const,
};

/** One page of downloads, newest first: `limit` of them after `cursor`. */
export interface DownloadPage {
  items: Download[];
  nextCursor: string | null;
}

export async function fetchDownloads(query: { status: DownloadStatus | null; limit: number; cursor?: string }): Promise<DownloadPage> {
  const page = await call(api.GET('/api/v1/downloads', { params: { query } }));
  return { items: page.items, nextCursor: page.nextCursor ?? null };
}

const job = (id: string) => ({ params: { path: { job_id: id } } });

export const fetchDownload = (id: string) => call(api.GET('/api/v1/downloads/{job_id}', job(id)));
/** A download's state changes, oldest first (up to 200). */
export const fetchDownloadEvents = async (id: string) =>
  (await call(api.GET('/api/v1/downloads/{job_id}/events', { params: { path: { job_id: id }, query: { limit: 200 } } }))).items;

export const createDownload = (body: NewDownload) => call(api.POST('/api/v1/downloads', { body }));
export const cancelDownload = (id: string) => call(api.DELETE('/api/v1/downloads/{job_id}', job(id)));

/**
 * Uploads a .torrent straight to the bucket: a presigned form from `POST /downloads/uploads`, then the
 * file. Returns the upload id to submit as `torrentUploadId`.
 */
export async function uploadTorrent(file: File): Promise<string> {
  const form = await call(api.POST('/api/v1/downloads/uploads'));
  return postToBucket(form, file, {
    code: 'torrent_too_large',
    message: `A .torrent file may be at most ${formatBytes(form.maxBytes)}.`,
  });
}
