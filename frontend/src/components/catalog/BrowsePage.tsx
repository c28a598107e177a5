import { useSearchParams } from '@solidjs/router';
import type { LucideIcon } from 'lucide-solid';
import SearchX from 'lucide-solid/icons/search-x';
import { createEffect, createMemo, createSignal } from 'solid-js';
import { catalogKeys, fetchBrowse, fetchGenres } from '../../api/catalog';
import { createApiQuery } from '../../api/queryClient';
import type { MediaType } from '../../api/types';
import { PosterGrid } from '../media/PosterGrid';
import { EmptyState } from '../ui/EmptyState';
import { Page } from '../ui/Page';
import { Pagination } from '../ui/Pagination';
import { GridSkeleton } from '../ui/Skeleton';
import { QueryView } from '../ui/QueryView';
import { FilterBar, type FilterPatch } from './FilterBar';
import { apiSort, parseFilters, SORTS, toApiQuery, type CatalogFilters } from './filters';

export const PAGE_SIZE = 30;

const browseQuery = (filters: CatalogFilters) => ({
  ...toApiQuery(filters),
  // no sort: the server's default (popular, or most rated on a large catalog), named by the answer
  sort: filters.sort ? apiSort(filters.sort) : null,
  page: filters.page,
  pageSize: PAGE_SIZE,
});

/** Movies, shows and games: genre chips, filters, sort and pages, all kept in the URL. */
export function BrowsePage(props: { mediaType: MediaType; title: string; description: string; noun: string; icon: LucideIcon }) {
  const [params, setParams] = useSearchParams();
  const filters = createMemo(() => parseFilters(params), undefined, {
    equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  const genres = createApiQuery(() => {
    const type = props.mediaType;
    return { queryKey: catalogKeys.genres(type), queryFn: () => fetchGenres(type) };
  });
  const list = createApiQuery(() => {
    const type = props.mediaType;
    const query = browseQuery(filters());
    return { queryKey: catalogKeys.browse(type, query), queryFn: () => fetchBrowse(type, query) };
  });

  const change = (patch: FilterPatch) => setParams({ ...patch, page: undefined });
  // The default's label: "Popular" unless the server ordered the default page otherwise (a large catalog).
  const [defaultSort, setDefaultSort] = createSignal<string>('popular');
  createEffect(() => {
    const answer = list.data;
    if (answer && !filters().sort) setDefaultSort(answer.sort);
  });
  const sortLabel = () => (defaultSort() === 'popular' ? undefined : SORTS.find((s) => s.value === defaultSort())?.label);
  const goTo = (page: number) => {
    setParams({ page: page > 1 ? String(page) : undefined });
    window.scrollTo({ top: 0, behavior: 'smooth' });
  };

  return (
    <Page title={props.title} description={props.description}>
      <FilterBar filters={filters()} genres={genres.data} onChange={change} sortLabel={sortLabel()} />
      <QueryView
        query={list}
        loading={<GridSkeleton label={`Loading ${props.noun}…`} />}
        isEmpty={(page) => page.items.length === 0}
        empty={
          <EmptyState
            icon={SearchX}
            title={`No ${props.noun} match these filters`}
            body="Try another genre, a wider release window, or a lower minimum rating."
          />
        }
      >
        {(page) => (
          <>
            <p class="mb-6 text-sm text-ink-subtle">
              {page().total.toLocaleString()} {props.noun}
            </p>
            <PosterGrid titles={page().items} label={props.title} />
            <Pagination page={page().page} pageSize={page().pageSize} total={page().total} onPage={goTo} />
          </>
        )}
      </QueryView>
    </Page>
  );
}
