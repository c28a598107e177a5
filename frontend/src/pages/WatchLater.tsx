import { A } from '@solidjs/router';
import Bookmark from 'lucide-solid/icons/bookmark';
import X from 'lucide-solid/icons/x';
import { api, call } from '../api/client';
import type { WatchLaterItem } from '../api/types';
import { TitleLine } from '../components/media/TitleLine';
import { buttonStyles } from '../components/ui/button';
import { EmptyState } from '../components/ui/EmptyState';
import { Page } from '../components/ui/Page';
import { QueryView } from '../components/ui/QueryView';
import { ReorderList } from '../components/ui/ReorderList';
import { ListSkeleton } from '../components/ui/Skeleton';
import { formatRelative } from '../lib/format';
import { optimistic } from '../lib/optimistic';
import { createQuery } from '../lib/query';
import { fetchAllPages, watchLater } from '../stores/membership';

function fetchWatchLater() {
  return fetchAllPages((page, pageSize) => call(api.GET('/api/v1/watch-later', { params: { query: { page, pageSize } } })));
}

export default function WatchLaterPage() {
  const list = createQuery(() => true, fetchWatchLater);

  const reorder = (next: WatchLaterItem[], moved: WatchLaterItem) => {
    const before = list.data() ?? [];
    void optimistic({
      apply: () => list.mutate(next),
      commit: () => call(api.PUT('/api/v1/watch-later/order', { body: { mediaIds: next.map((item) => item.media.id) } })),
      rollback: () => list.mutate(before),
      failure: `Couldn't move “${moved.media.title}”`,
    });
  };

  const remove = async (item: WatchLaterItem) => {
    const before = list.data() ?? [];
    list.mutate(before.filter((entry) => entry.media.id !== item.media.id));
    const ok = await watchLater.set(item.media.id, item.media.title, false);
    if (!ok) list.mutate(before);
  };

  return (
    <Page title="Watch later" description="Your queue, in the order you want it. Drag, or use the arrows, to reorder.">
      <QueryView
        query={list}
        loading={<ListSkeleton rows={6} label="Loading your queue…" />}
        isEmpty={(items) => items.length === 0}
        empty={
          <EmptyState
            icon={Bookmark}
            title="Nothing saved for later"
            body="Tap the bookmark on any poster and it lands here, ready for movie night."
            action={<A href="/app/discover" class={buttonStyles.secondary}>Find something to watch</A>}
          />
        }
      >
        {(items) => (
          <>
            <p class="mb-4 text-sm text-ink-subtle">
              {items().length} title{items().length === 1 ? '' : 's'}
            </p>
            <ReorderList items={items()} label="Watch later queue" itemLabel={(item) => item.media.title} onReorder={reorder}>
              {(item) => (
                <TitleLine
                  title={item.media}
                  detail={`added ${formatRelative(item.addedAt)}`}
                  trailing={
                    <button type="button" class={`${buttonStyles.icon} size-9`} aria-label={`Remove ${item.media.title} from watch later`} onClick={() => void remove(item)}>
                      <X class="size-4" strokeWidth={1.75} />
                    </button>
                  }
                />
              )}
            </ReorderList>
          </>
        )}
      </QueryView>
    </Page>
  );
}
