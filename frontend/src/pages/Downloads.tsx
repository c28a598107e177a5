import { useSearchParams } from '@solidjs/router';
import Download from 'lucide-solid/icons/download';
import { createEffect, createSignal, For } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { toApiError } from '../api/client';
import { cancelDownload, downloadKeys, fetchDownloads, type DownloadPage } from '../api/downloads';
import { createApiQuery, pollEvery, setQueryData, type ApiQuery } from '../api/queryClient';
import type { Download as Job, DownloadStatus } from '../api/types';
import { AddDownload } from '../components/downloads/AddDownload';
import { DownloadCard } from '../components/downloads/DownloadCard';
import { downloadTitle } from '../components/downloads/labels';
import { isActive, POLL_MS } from '../components/downloads/status';
import { EmptyState } from '../components/ui/EmptyState';
import { LoadMore } from '../components/ui/LoadMore';
import { chipStyles } from '../components/ui/form';
import { Page } from '../components/ui/Page';
import { QueryView } from '../components/ui/QueryView';
import { ListSkeleton } from '../components/ui/Skeleton';
import { optimistic } from '../lib/optimistic';
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

/** The downloads page's data: the polled list, load more, add and cancel; `DownloadsView` shows it. */
export default function DownloadsPage() {
  const [params, setParams] = useSearchParams<{ status?: string }>();
  const status = () => FILTERS.find((f) => f.value === params.status)?.value;
  const [limit, setLimit] = createSignal(PAGE);
  const [loadingMore, setLoadingMore] = createSignal(false);

  // Refetches the first `limit` jobs (read at each fetch), so polling keeps everything shown current.
  const list = createApiQuery(() => {
    const filter = status() ?? null;
    return {
      queryKey: downloadKeys.list(filter),
      queryFn: () => fetchDownloads({ status: filter, limit: Math.min(100, limit()) }),
      refetchInterval: (query) => (query.state.data?.items.some((d) => isActive(d.status)) ? pollEvery(POLL_MS)(query) : false),
    };
  });
  const setList = (update: (current: DownloadPage | undefined) => DownloadPage | undefined) =>
    setQueryData<DownloadPage>(downloadKeys.list(status() ?? null), update);

  // Cards keep their state (an open timeline) across polls: rows are matched by id, not replaced.
  const [jobs, setJobs] = createStore<Job[]>([]);
  createEffect(() => setJobs(reconcile(list.data?.items ?? [], { key: 'id' })));

  const loadMore = async () => {
    const current = list.data;
    if (!current?.nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await fetchDownloads({ status: status() ?? null, limit: PAGE, cursor: current.nextCursor });
      setLimit((n) => n + PAGE);
      setList(() => ({ items: [...current.items, ...page.items], nextCursor: page.nextCursor }));
    } catch (error) {
      showToast({ tone: 'error', title: "Couldn't load more downloads", body: toApiError(error).message });
    } finally {
      setLoadingMore(false);
    }
  };

  const added = (job: Job) => {
    showToast({ tone: 'success', title: 'Download added', body: downloadTitle(job) });
    setList((current) => ({ items: [job, ...(current?.items ?? [])], nextCursor: current?.nextCursor ?? null }));
    void list.refetch();
  };

  const cancel = (job: Job) => {
    const before = list.data;
    if (!before) return;
    void optimistic({
      apply: () => setList(() => ({ ...before, items: before.items.map((d) => (d.id === job.id ? { ...d, cancelRequested: true } : d)) })),
      commit: async () => {
        await cancelDownload(job.id);
        void list.refetch();
      },
      rollback: () => setList(() => before),
      failure: "Couldn't cancel the download",
    });
  };

  return (
    <DownloadsView
      status={status()}
      onStatus={(value) => setParams({ status: value })}
      list={list}
      jobs={jobs}
      loadingMore={loadingMore()}
      onLoadMore={() => void loadMore()}
      onAdded={added}
      onCancel={cancel}
    />
  );
}

/** The downloads page as shown: add form, status filter, the list and "Load more"; no loading of its own. */
function DownloadsView(props: {
  status: DownloadStatus | undefined;
  onStatus: (status: DownloadStatus | undefined) => void;
  list: ApiQuery<DownloadPage>;
  /** The listed downloads, matched by id across polls (cards keep an open timeline). */
  jobs: Job[];
  loadingMore: boolean;
  onLoadMore: () => void;
  onAdded: (job: Job) => void;
  onCancel: (job: Job) => void;
}) {
  return (
    <Page title="Downloads" description="Magnets, torrents and direct links, fetched by your home worker into the library.">
      <AddDownload onAdded={props.onAdded} />
      <div>
        <div role="group" aria-label="Status" class="no-scrollbar -mx-5 mb-6 flex gap-2 overflow-x-auto px-5 sm:mx-0 sm:flex-wrap sm:px-0">
          <For each={FILTERS}>
            {(f) => (
              <button type="button" class={chipStyles(props.status === f.value)} aria-pressed={props.status === f.value} onClick={() => props.onStatus(f.value)}>
                {f.label}
              </button>
            )}
          </For>
        </div>
        <QueryView
          query={props.list}
          loading={<ListSkeleton rows={3} label="Loading downloads…" />}
          isEmpty={(l) => l.items.length === 0}
          empty={<EmptyState icon={Download} title={props.status ? 'Nothing with this status' : 'No downloads yet'} body="Paste a magnet link, drop a .torrent file or give a direct URL above. Finished files are scanned into your library." />}
        >
          {(l) => (
            <>
              <ul class="flex flex-col gap-3" aria-label="Downloads">
                <For each={l().items.length ? props.jobs : []}>{(job) => <DownloadCard download={job} onCancel={props.onCancel} />}</For>
              </ul>
              <LoadMore when={l().nextCursor} loading={props.loadingMore} onLoad={props.onLoadMore} />
            </>
          )}
        </QueryView>
      </div>
    </Page>
  );
}
