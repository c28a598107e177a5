/** The admin console: users, scheduled jobs, workers, queues and storage, indexers, the IMDb import. */
import { api, call } from './client';
import { pending } from './pending';
import type { components } from './schema';
import type { IndexerInput, IndexerPatch } from './types';

type S = components['schemas'];
export type AdminUser = S['AdminUserOut'];
export type SyncJob = S['SyncJobOut'];
export type Worker = S['WorkerOut'];

export const adminKeys = {
  users: (q: string, page: number) => ['admin', 'users', q, page] as const,
  syncJobs: () => ['admin', 'sync-jobs'] as const,
  workers: () => ['admin', 'workers'] as const,
  queues: () => ['admin', 'queues'] as const,
  storage: () => ['admin', 'storage'] as const,
  indexers: () => ['admin', 'indexers'] as const,
  imdb: () => ['admin', 'imdb'] as const,
  ratings: () => ['admin', 'ratings'] as const,
};

const user = (id: string) => ({ params: { path: { user_id: id } } });

export const fetchUsers = (q: string, page: number, pageSize: number) =>
  call(api.GET('/api/v1/admin/users', { params: { query: { q: q || null, page, pageSize } } }));
export const setUserRole = (id: string, role: AdminUser['role']) =>
  call(api.PATCH('/api/v1/admin/users/{user_id}', { ...user(id), body: { role } }));
export const disableUser = (id: string) => call(api.POST('/api/v1/admin/users/{user_id}/disable', user(id)));
export const enableUser = (id: string) => call(api.POST('/api/v1/admin/users/{user_id}/enable', user(id)));

export const fetchSyncJobs = async () => (await call(api.GET('/api/v1/admin/sync-jobs'))).items;
/** Runs a scheduled job now; the API answers once the job has run, with its recorded state. */
export const runSyncJob = (name: string) =>
  call(api.POST('/api/v1/admin/sync-jobs/{job_name}/run', { params: { path: { job_name: name } } }));

export const fetchWorkers = async () => (await call(api.GET('/api/v1/admin/workers'))).items;
export const fetchQueues = async () => (await call(api.GET('/api/v1/admin/queues'))).items;
export const fetchStorage = () => call(api.GET('/api/v1/admin/storage'));

const indexer = (id: string) => ({ params: { path: { indexer_id: id } } });

export const listIndexers = async () => (await call(api.GET('/api/v1/admin/indexers'))).items;
export const createIndexer = (body: IndexerInput) => call(api.POST('/api/v1/admin/indexers', { body }));
export const updateIndexer = (id: string, body: IndexerPatch) =>
  call(api.PATCH('/api/v1/admin/indexers/{indexer_id}', { ...indexer(id), body }));
export const deleteIndexer = (id: string) => call(api.DELETE('/api/v1/admin/indexers/{indexer_id}', indexer(id)));
export const testIndexer = (id: string) => call(api.POST('/api/v1/admin/indexers/{indexer_id}/test', indexer(id)));

// TODO(api): written from the issue 23 contract; read through `pending` until the shapes below are the schema's.

/** One dataset file of an IMDb import run (title.basics, title.ratings, name.basics, ...). */
export interface ImdbFileStats {
  /** pending | running | skipped (same version as last import) | done | failed | partial */
  status?: string;
  read?: number | null;
  malformed?: number | null;
  inserted?: number | null;
  updated?: number | null;
  unchanged?: number | null;
}

export interface ImdbRun {
  id?: string | number;
  status: string;
  startedAt?: string | null;
  finishedAt?: string | null;
  error?: string | null;
  /** While running: the file being read and the rows done in it. */
  currentFile?: string | null;
  /** Lines processed so far over all files. */
  rowsDone?: number | null;
  /** Per dataset file name. */
  files?: Record<string, ImdbFileStats> | null;
}

export interface ImdbImportStatus {
  /** Whether a run holds the import lock now. */
  running?: boolean;
  /** The run in progress, if any. */
  current?: ImdbRun | null;
  /** Recent runs, newest first. */
  runs?: ImdbRun[] | null;
}

export interface RatingsCoverage {
  keyConfigured: boolean;
  covered: number;
  total: number;
  libraryCovered: number;
  libraryTotal: number;
  lastRunAt?: string | null;
  lastError?: string | null;
}

export const fetchImdbStatus = async () => (await call(pending.GET('/api/v1/admin/imdb'))) as ImdbImportStatus;
export const fetchRatingsCoverage = async () => (await call(pending.GET('/api/v1/admin/ratings'))) as RatingsCoverage;
/** Starts an IMDb import (202); a 409 means one is already running. */
export const postImdbImport = () => call(pending.POST('/api/v1/admin/imdb/import'));
