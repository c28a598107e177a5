/** Why a search found nothing to get: per indexer asked, the query it was sent and what it gave; what to do next. */
import type { SourceSearch } from '../../api/types';

export type IndexerSearch = NonNullable<SourceSearch['searched']>[number];
type SentQuery = IndexerSearch['query'];
type RejectCode = IndexerSearch['rejections'][number]['code'];

const pad = (n: number) => String(n).padStart(2, '0');
const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** "“Breaking Bad S01E02”", "Inception (IMDb tt1375666)", "Breaking Bad (TMDB 1396, S01E02, categories 5000)". */
export function describeQuery(query: SentQuery, title: string): string {
  const details = [
    query.imdbId ? `IMDb ${query.imdbId}` : undefined,
    query.tmdbId != null ? `TMDB ${query.tmdbId}` : undefined,
    query.tvdbId != null ? `TVDB ${query.tvdbId}` : undefined,
    query.season != null ? `S${pad(query.season)}${query.episode != null ? `E${pad(query.episode)}` : ''}` : undefined,
    query.categories?.length ? `${query.categories.length === 1 ? 'category' : 'categories'} ${query.categories.join(', ')}` : undefined,
  ].filter(Boolean);
  // Only text the indexer was sent is quoted; an id search names the title plainly.
  const what = query.text ? `“${query.text}”` : title;
  return details.length ? `${what} (${details.join(', ')})` : what;
}

/** "3 releases, all rejected — 2 too small for your quality profile, 1 without seeders". */
export function outcome(search: IndexerSearch): string {
  if (search.error) return `it failed — ${search.error}`;
  if (search.found === 0) return 'no releases';
  const found = count(search.found, 'release');
  if (search.rejected === 0) return `${found}, ${search.found === 1 ? 'it fits' : 'all fit'}`;
  const why = search.rejections.map((r) => `${r.count.toLocaleString()} ${r.reason}`).join(', ');
  if (search.fitting <= 0) return `${found}, ${search.found === 1 ? 'rejected' : 'all rejected'} — ${why}`;
  return `${found}, ${search.rejected.toLocaleString()} rejected — ${why}`;
}

/** "Asked Demo indexer (local) for Inception (IMDb tt1375666): 3 releases, all rejected — …". */
export const explainIndexer = (search: IndexerSearch, title: string) =>
  `Asked ${search.indexer} for ${describeQuery(search.query, title)}: ${outcome(search)}`;

const PROFILE: readonly RejectCode[] = ['too_small', 'too_big', 'few_seeders', 'excluded_codec'];
const ELSEWHERE: readonly RejectCode[] = ['wrong_title', 'wrong_year', 'wrong_season', 'wrong_episode', 'series_episode', 'no_episode'];

/** What the user can do when nothing fits, most useful first; `admin`: the user can manage indexers. */
export function nextSteps(searched: readonly IndexerSearch[], admin: boolean): string[] {
  if (searched.length === 0) {
    return [admin ? 'Add an indexer (Prowlarr, Jackett or any Torznab feed) under Admin → Indexers.' : 'No indexer is set up yet: ask your admin to add one.'];
  }
  const codes = new Set(searched.flatMap((s) => s.rejections.filter((r) => r.count > 0).map((r) => r.code)));
  const steps: string[] = [];
  if (searched.some((s) => s.error)) {
    steps.push(admin ? 'Check the failing indexer’s address and API key under Admin → Indexers, then search again.' : 'An indexer is failing: tell your admin, or search again later.');
  }
  if (PROFILE.some((code) => codes.has(code))) {
    steps.push('Relax your quality profile (its size limits, minimum seeders or excluded codecs) to accept some rejected releases.');
  }
  if (codes.has('no_seeders')) steps.push('Releases without seeders may get some later: search again in a while.');
  const nothing = searched.every((s) => s.error || s.found === 0);
  if (nothing || ELSEWHERE.some((code) => codes.has(code))) {
    const what = nothing ? 'Your indexers have nothing for this title' : 'The releases found are for other titles or episodes';
    steps.push(admin ? `${what}: add another indexer under Admin → Indexers.` : `${what}: ask your admin to add another indexer.`);
  }
  return steps;
}
