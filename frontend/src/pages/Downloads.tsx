import { useSearchParams } from '@solidjs/router';
import Download from 'lucide-solid/icons/download';
import { createEffect, createSignal, For, Show } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { api, call, toApiError } from '../api/client';
import type { Download as Job, DownloadStatus } from '../api/types';
import { AddDownload } from '../components/downloads/AddDownload';
import { DownloadCard } from '../components/downloads/DownloadCard';
import { isActive, POLL_MS } from '../components/downloads/status';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { chipStyles } from '../components/ui/form';
import { Page } from '../components/ui/Page';
import { QueryView } from '../components/ui/QueryView';
import { ListSkeleton } from '../components/ui/Skeleton';
import { optimistic } from '../lib/optimistic';
import { createQuery, type Query } from '../lib/query';
import { showToast } from '../stores/toasts';

const FILTERS: { value: DownloadStatus | undefined; label: string }[] = [
  { value: undefined, label: 'All' },
  { value: 'downloading', label: 'Downloading' },
  { value: 'queued', label: 'Queued' },
  { value: 'completed', label: 'Completed' },
  { value: 'failed', label: 'Failed' },
  { value: 'cancelled', label: 'Cancelled' },
];
const PAGE = 20;

interface Listing {
  items: Job[];
  nextCursor: string | null;
}

export default function DownloadsPage() {
  const [params, setParams] = useSearchParams<{ status?: string }>();
  const status = () => FILTERS.find((f) => f.value === params.status)?.value;
  const [limit, setLimit] = createSignal(PAGE);
  const [loadingMore, setLoadingMore] = createSignal(false);

  // Refetches the first `limit` jobs, so polling keeps everything shown current.
  const list: Query<Listing> = createQuery(
    () => ({ status: status() ?? null }),
    async (s): Promise<Listing> => {
      const page = await call(api.GET('/api/v1/downloads', { params: { query: { status: s.status, limit: Math.min(100, limit()) } } }));
      return { items: page.items, nextCursor: page.nextCursor ?? null };
    },
    { pollMs: (): number | false => (list.data()?.items.some((d) => isActive(d.status)) ? POLL_MS : false) },
  );

  // Cards keep their state (an open timeline) across polls: rows are matched by id, not replaced.
  const [jobs, setJobs] = createStore<Job[]>([]);
  createEffect(() => setJobs(reconcile(list.data()?.items ?? [], { key: 'id' })));

  const loadMore = async () => {
    const current = list.data();
    if (!current?.nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await call(api.GET('/api/v1/downloads', { params: { query: { status: status() ?? null, limit: PAGE, cursor: current.nextCursor } } }));
      setLimit((n) => n + PAGE);
      list.mutate({ items: [...current.items, ...page.items], nextCursor: page.nextCursor ?? null });
    } catch (error) {
      showToast({ tone: 'error', title: "Couldn't load more downloads", body: toApiError(error).message });
    } finally {
      setLoadingMore(false);
    }
  };

  const added = (job: Job) => {
    showToast({ tone: 'success', title: 'Download added', body: job.title ?? undefined });
    list.mutate((current) => ({ items: [job, ...(current?.items ?? [])], nextCursor: current?.nextCursor ?? null }));
    void list.refetch();
  };

  const cancel = (job: Job) => {
    const before = list.data();
    if (!before) return;
    void optimistic({
      apply: () => list.mutate({ ...before, items: before.items.map((d) => (d.id === job.id ? { ...d, cancelRequested: true } : d)) }),
      commit: async () => {
        await call(api.DELETE('/api/v1/downloads/{job_id}', { params: { path: { job_id: job.id } } }));
        void list.refetch();
      },
      rollback: () => list.mutate(before),
      failure: "Couldn't cancel the download",
    });
  };

  return (
    <Page title="Downloads" description="Magnets, torrents and direct links, fetched by your home worker into the library.">
      <AddDownload onAdded={added} />
      <div>
        <div role="group" aria-label="Status" class="no-scrollbar -mx-5 mb-6 flex gap-2 overflow-x-auto px-5 sm:mx-0 sm:flex-wrap sm:px-0">
          <For each={FILTERS}>
            {(f) => (
              <button type="button" class={chipStyles(status() === f.value)} aria-pressed={status() === f.value} onClick={() => setParams({ status: f.value })}>
                {f.label}
              </button>
            )}
          </For>
        </div>
        <QueryView
          query={list}
          loading={<ListSkeleton rows={3} label="Loading downloads…" />}
          isEmpty={(l) => l.items.length === 0}
          empty={<EmptyState icon={Download} title={status() ? 'Nothing with this status' : 'No downloads yet'} body="Paste a magnet link, drop a .torrent file or give a direct URL above. Finished files are scanned into your library." />}
        >
          {(l) => (
            <>
              <ul class="flex flex-col gap-3" aria-label="Downloads">
                <For each={l().items.length ? jobs : []}>{(job) => <DownloadCard download={job} onCancel={cancel} />}</For>
              </ul>
              <Show when={l().nextCursor}>
                <div class="mt-8 flex justify-center">
                  <button type="button" class={buttonStyles.secondary} disabled={loadingMore()} onClick={() => void loadMore()}>
                    {loadingMore() ? 'Loading…' : 'Load more'}
                  </button>
                </div>
              </Show>
            </>
          )}
        </QueryView>
      </div>
    </Page>
  );
}
