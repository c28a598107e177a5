import { useSearchParams } from '@solidjs/router';
import Compass from 'lucide-solid/icons/compass';
import { createMemo, For, Show } from 'solid-js';
import { catalogKeys, fetchDiscover, fetchGenres } from '../api/catalog';
import { createApiQuery } from '../api/queryClient';
import type { MediaType } from '../api/types';
import { FeaturedHero } from '../components/catalog/FeaturedHero';
import { FilterBar, type FilterPatch } from '../components/catalog/FilterBar';
import { apiSort, parseFilters, toApiQuery, type CatalogFilters } from '../components/catalog/filters';
import { recordClick } from '../components/catalog/engagement';
import { PosterCard } from '../components/media/PosterCard';
import { MediaRow } from '../components/media/MediaRow';
import { EmptyState } from '../components/ui/EmptyState';
import { chipStyles } from '../components/ui/form';
import { Pagination } from '../components/ui/Pagination';
import { QueryView } from '../components/ui/QueryView';
import { RowSkeleton, Skeleton } from '../components/ui/Skeleton';
import { watchLater } from '../stores/membership';

const ROWS_PER_PAGE = 6;
const TYPES: { value: MediaType | undefined; label: string }[] = [
  { value: undefined, label: 'Everything' },
  { value: 'movie', label: 'Movies' },
  { value: 'show', label: 'Shows' },
  { value: 'game', label: 'Games' },
];

const discoverQuery = (filters: CatalogFilters) => ({
  ...toApiQuery(filters),
  mediaType: filters.type ?? null,
  sort: filters.sort ? apiSort(filters.sort) : null,
  page: filters.page,
  pageSize: ROWS_PER_PAGE,
  rowSize: 20,
});

const browseHref = (type: MediaType | null | undefined, genre?: string) =>
  type ? `/app/${type === 'movie' ? 'movies' : type === 'show' ? 'shows' : 'games'}${genre ? `?genre=${genre}` : ''}` : undefined;

export default function DiscoverPage() {
  const [params, setParams] = useSearchParams();
  const filters = createMemo(() => parseFilters(params), undefined, {
    equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  const genres = createApiQuery(() => {
    const type = filters().type;
    return { queryKey: catalogKeys.genres(type), queryFn: () => fetchGenres(type) };
  });
  const sections = createApiQuery(() => {
    const query = discoverQuery(filters());
    return { queryKey: catalogKeys.discover(query), queryFn: () => fetchDiscover(query) };
  });
  void watchLater.ensureLoaded().catch(() => undefined);

  const change = (patch: FilterPatch) => setParams({ ...patch, page: undefined });
  const featured = () => {
    const page = sections.data;
    if (!page || filters().page > 1) return undefined;
    const first = page.items.find((section) => section.items.length > 0);
    return first && { title: first.items[0]!, eyebrow: first.title };
  };

  return (
    <div class="animate-enter">
      <h1 class="sr-only" id="page-title">
        Discover
      </h1>
      <Show when={featured()} fallback={<Show when={sections.isLoading}><Skeleton class="-mx-5 -mt-10 mb-10 h-[26rem] rounded-none sm:-mx-8 lg:-mx-12 lg:-mt-14" /></Show>}>
        {(pick) => <FeaturedHero title={pick().title} eyebrow={pick().eyebrow} />}
      </Show>
      <div class="flex flex-col gap-5">
        <div role="group" aria-label="Kind of title" class="no-scrollbar -mx-5 flex gap-2 overflow-x-auto px-5 sm:mx-0 sm:px-0">
          <For each={TYPES}>
            {(type) => (
              <button
                type="button"
                class={chipStyles(filters().type === type.value)}
                aria-pressed={filters().type === type.value}
                onClick={() => change({ type: type.value, genre: undefined })}
              >
                {type.label}
              </button>
            )}
          </For>
        </div>
        <FilterBar filters={filters()} genres={genres.data} onChange={change} sortLabel="Each row's own order" />
      </div>
      <div class="mt-12">
        <QueryView
          query={sections}
          loading={
            <div class="flex flex-col gap-12">
              <RowSkeleton label="Loading discover rows…" />
              <RowSkeleton />
            </div>
          }
          isEmpty={(page) => page.items.every((section) => section.items.length === 0)}
          empty={
            <EmptyState
              icon={Compass}
              title="Nothing to discover with these filters"
              body="Rows fill from TMDB and IGDB, or from the bundled demo catalog. Loosen the filters to see more."
            />
          }
        >
          {(page) => (
            <>
              <div class="flex flex-col gap-12 lg:gap-14">
                <For each={page().items.filter((section) => section.items.length > 0)}>
                  {(section) => (
                    <MediaRow
                      title={section.title}
                      titles={section.items}
                      showType={!section.mediaType}
                      seeAllHref={browseHref(section.mediaType ?? filters().type, filters().genre)}
                      item={(title) => (
                        // Which rows get opened orders the rows: a click on the card's link is counted (not the quick toggle).
                        <div onClick={(event) => (event.target as Element).closest('a') && recordClick(section.key, title.id)}>
                          <PosterCard title={title} showType={!section.mediaType} />
                        </div>
                      )}
                    />
                  )}
                </For>
              </div>
              <Pagination
                page={page().page}
                pageSize={page().pageSize}
                total={page().total}
                onPage={(next) => {
                  setParams({ page: next > 1 ? String(next) : undefined });
                  window.scrollTo({ top: 0, behavior: 'smooth' });
                }}
              />
            </>
          )}
        </QueryView>
      </div>
    </div>
  );
}
