import { useSearchParams } from '@solidjs/router';
import SearchIcon from 'lucide-solid/icons/search';
import SearchX from 'lucide-solid/icons/search-x';
import { createMemo, For, Show } from 'solid-js';
import { catalogKeys, fetchGenres, searchCatalog } from '../api/catalog';
import { createApiQuery } from '../api/queryClient';
import type { MediaType, PersonHit, SearchResult, TitleHit } from '../api/types';
import { FilterBar, type FilterPatch } from '../components/catalog/FilterBar';
import { parseFilters, toApiQuery } from '../components/catalog/filters';
import { PosterGrid } from '../components/media/PosterGrid';
import { PeopleResults } from '../components/people/PeopleResults';
import { EmptyState } from '../components/ui/EmptyState';
import { chipStyles } from '../components/ui/form';
import { Page } from '../components/ui/Page';
import { Pagination } from '../components/ui/Pagination';
import { QueryView } from '../components/ui/QueryView';
import { GridSkeleton } from '../components/ui/Skeleton';

const isPerson = (hit: SearchResult): hit is PersonHit => hit.type === 'person';

/** Search hits split into people (page 1 only, a few) and titles. TODO(api): the cast goes once schema.d.ts has person hits. */
function splitHits(items: unknown[]): { people: PersonHit[]; titles: TitleHit[] } {
  const hits = items as SearchResult[];
  return { people: hits.filter(isPerson), titles: hits.filter((hit): hit is TitleHit => !isPerson(hit)) };
}

const TYPES: { value: MediaType | undefined; label: string }[] = [
  { value: undefined, label: 'All' },
  { value: 'movie', label: 'Movies' },
  { value: 'show', label: 'Shows' },
  { value: 'game', label: 'Games' },
];

/** Full search results (/app/search?q=): typo tolerant, with the catalog filters. */
export default function SearchPage() {
  const [params, setParams] = useSearchParams<{ q?: string }>();
  const q = () => (params.q ?? '').trim();
  const filters = createMemo(() => parseFilters(params), undefined, {
    equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  const genres = createApiQuery(() => {
    const type = filters().type;
    return { queryKey: catalogKeys.genres(type), queryFn: () => fetchGenres(type) };
  });
  const results = createApiQuery(() => {
    const f = filters();
    const query = { ...toApiQuery(f), q: q().slice(0, 200), mediaType: f.type ?? null, page: f.page, pageSize: 30 };
    return { queryKey: catalogKeys.search(query), queryFn: () => searchCatalog(query), enabled: !!q() };
  });
  const change = (patch: FilterPatch) => setParams({ ...patch, page: undefined });

  return (
    <Page title={q() ? `Results for “${q()}”` : 'Search'} description="Movies, shows and games — close spellings count too.">
      <Show
        when={q()}
        fallback={<EmptyState icon={SearchIcon} title="Search the catalog" body="Type in the search box above — press / to jump to it from anywhere." />}
      >
        <div class="flex flex-col gap-4">
          <div role="group" aria-label="Kind of title" class="no-scrollbar -mx-5 flex gap-2 overflow-x-auto px-5 sm:mx-0 sm:px-0">
            <For each={TYPES}>
              {(type) => (
                <button type="button" class={chipStyles(filters().type === type.value)} aria-pressed={filters().type === type.value} onClick={() => change({ type: type.value, genre: undefined })}>
                  {type.label}
                </button>
              )}
            </For>
          </div>
          {/* the language choices count what this search found (all of them again once one is chosen) */}
          <FilterBar
            filters={filters()}
            genres={genres.data}
            onChange={change}
            showSort={false}
            languages={filters().language || results.data?.totalAtLeast ? undefined : results.data?.languages}
          />
        </div>
        <QueryView
          query={results}
          loading={<GridSkeleton label="Searching…" />}
          isEmpty={(page) => page.items.length === 0}
          empty={<EmptyState icon={SearchX} title={`Nothing found for “${q()}”`} body="Check the spelling, try fewer words, or clear the filters." />}
        >
          {(page) => {
            const hits = () => splitHits(page().items);
            return (
            <>
              <p class="mb-6 text-sm text-ink-subtle">
                {page().totalAtLeast ? `More than ${(page().total - 1).toLocaleString()} results: add a word to narrow them` : `${page().total.toLocaleString()} result${page().total === 1 ? '' : 's'}`}
              </p>
              <Show when={hits().people.length}>
                <PeopleResults people={hits().people} />
              </Show>
              <Show when={hits().titles.length}>
                <Show when={hits().people.length}>
                  <h2 class="mb-4 text-lg font-medium tracking-tight text-ink">Titles</h2>
                </Show>
                <PosterGrid titles={hits().titles} showType label="Search results" />
              </Show>
              <Pagination page={page().page} pageSize={page().pageSize} total={page().total} onPage={(p) => setParams({ page: p > 1 ? String(p) : undefined })} />
            </>
            );
          }}
        </QueryView>
      </Show>
    </Page>
  );
}
