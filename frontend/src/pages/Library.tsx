import { useSearchParams } from '@solidjs/router';
import { createMemo, createSignal } from 'solid-js';
import { fetchTitles, fetchUnmatched, libraryKeys, type MatchChoice } from '../api/library';
import { createApiQuery } from '../api/queryClient';
import { createLibraryActions } from '../components/library/actions';
import { parseLibraryFilters, pageOf, tabOf, type LibraryParams } from '../components/library/filters';
import type { LibraryItemLike } from '../components/library/labels';
import type { LibraryFilterPatch } from '../components/library/LibraryFilterBar';
import { LibraryView } from '../components/library/LibraryView';
import { MatchDialog, type MatchTarget } from '../components/library/MatchDialog';
import { useProfiles } from '../stores/profiles';
import { useSession } from '../stores/session';

/** The library's data: titles and the review queue by the URL's filters, and matching files to titles. */
export default function LibraryPage() {
  const session = useSession();
  const profiles = useProfiles();
  const kid = profiles.isKid;
  const canEdit = () => session.user()?.role === 'admin' && !kid();
  const [params, setParams] = useSearchParams<LibraryParams>();
  const filters = createMemo(() => parseLibraryFilters(params), undefined, { equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) });
  const queuePage = () => pageOf(params.qpage);
  const list = createApiQuery(() => {
    const f = filters();
    return { queryKey: libraryKeys.titles(f), queryFn: () => fetchTitles(f) };
  });
  const queue = createApiQuery(() => {
    const page = queuePage();
    return { queryKey: libraryKeys.unmatched(page), queryFn: () => fetchUnmatched(page), enabled: profiles.ready() && !kid() };
  });
  const actions = createLibraryActions({
    list: { query: list, key: () => libraryKeys.titles(filters()) },
    queue: { query: queue, key: () => libraryKeys.unmatched(queuePage()) },
  });
  const [target, setTarget] = createSignal<MatchTarget>();

  const change = (patch: LibraryFilterPatch) => setParams({ ...patch, page: undefined });
  const goTo = (key: 'page' | 'qpage') => (page: number) => {
    setParams({ [key]: page > 1 ? String(page) : undefined });
    window.scrollTo({ top: 0, behavior: 'smooth' });
  };
  const choose = async (current: MatchTarget, choice: MatchChoice, force: boolean) => {
    setTarget(undefined);
    const error = await actions.match(current.item, choice, force);
    // The server would link it only with force: reopen with the reason and a way to insist.
    if (error?.code === 'match_contradicts_parse') setTarget({ item: current.item, conflict: { choice, message: error.message } });
  };
  const openMatch = (item: MatchTarget['item']) => setTarget({ item });
  const ignore = (item: LibraryItemLike) => void actions.ignore(item);
  const reload = () => {
    void list.refetch();
    void queue.refetch();
  };

  return (
    <LibraryView
      tab={kid() ? 'all' : tabOf(params)}
      reviews={!kid()}
      filters={filters()}
      list={list}
      queue={queue}
      canEdit={canEdit()}
      onTab={(tab) => setParams({ tab: tab === 'unmatched' ? 'unmatched' : undefined })}
      onFilter={change}
      onPage={goTo('page')}
      onQueuePage={goTo('qpage')}
      onMatch={openMatch}
      onIgnore={ignore}
      onRescanned={reload}
    >
      <MatchDialog target={target()} onClose={() => setTarget(undefined)} onChoose={(t, c, f) => void choose(t, c, f)} />
    </LibraryView>
  );
}
