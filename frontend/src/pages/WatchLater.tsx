import { A } from '@solidjs/router';
import Bookmark from 'lucide-solid/icons/bookmark';
import X from 'lucide-solid/icons/x';
import { unwrap } from 'solid-js/store';
import { fetchWatchLater, membershipKeys, reorderWatchLater } from '../api/memberships';
import { createApiQuery, setQueryData } from '../api/queryClient';
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
import { watchLater } from '../stores/membership';

export default function WatchLaterPage() {
  const list = createApiQuery(() => ({ queryKey: membershipKeys.watchLater, queryFn: fetchWatchLater }));
  const shown = () => (list.data === undefined ? [] : unwrap(list.data));
  const show = (items: WatchLaterItem[]) => setQueryData(membershipKeys.watchLater, () => items);

  const reorder = (next: WatchLaterItem[], moved: WatchLaterItem) => {
    const before = shown();
    void optimistic({
      apply: () => show(next),
      commit: () => reorderWatchLater(next.map((item) => item.media.id)),
      rollback: () => show(before),
      failure: `Couldn't move “${moved.media.title}”`,
    });
  };

  const remove = async (item: WatchLaterItem) => {
    const before = shown();
    show(before.filter((entry) => entry.media.id !== item.media.id));
    const ok = await watchLater.set(item.media.id, item.media.title, false);
    if (!ok) show(before);
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
