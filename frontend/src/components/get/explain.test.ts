import { describe, expect, it } from 'vitest';
import { describeQuery, explainIndexer, nextSteps, outcome, type IndexerSearch } from './explain';

const query = (over: Partial<IndexerSearch['query']> = {}): IndexerSearch['query'] => ({
  function: 'movie', text: null, imdbId: null, tmdbId: null, tvdbId: null, season: null, episode: null, categories: [], ...over,
});
const search = (over: Partial<IndexerSearch> = {}): IndexerSearch => ({
  indexer: 'Demo indexer (local)', query: query({ imdbId: 'tt1375666' }), found: 0, fitting: 0, rejected: 0, rejections: [], error: null, ...over,
});
const allRejected = search({
  found: 3, rejected: 3,
  rejections: [
    { code: 'too_small', reason: 'too small for your quality profile', count: 2 },
    { code: 'no_seeders', reason: 'without seeders', count: 1 },
  ],
});

describe('the query an indexer was sent', () => {
  it('quotes only text that was sent and lists ids, season/episode and categories', () => {
    expect(describeQuery(query({ imdbId: 'tt1375666' }), 'Inception')).toBe('Inception (IMDb tt1375666)');
    expect(describeQuery(query({ function: 'search', text: 'Breaking Bad S01E02' }), 'Breaking Bad')).toBe('“Breaking Bad S01E02”');
    expect(describeQuery(query({ function: 'tvsearch', tmdbId: 1396, tvdbId: 81189, season: 1, episode: 2, categories: [5000, 5040] }), 'Breaking Bad'))
      .toBe('Breaking Bad (TMDB 1396, TVDB 81189, S01E02, categories 5000, 5040)');
    expect(describeQuery(query({ function: 'tvsearch', text: 'Dark', season: 3, categories: [5000] }), 'Dark')).toBe('“Dark” (S03, category 5000)');
  });
});

describe('what an indexer gave', () => {
  it('says nothing found, all rejected with the reasons by count, some rejected, or all fit', () => {
    expect(outcome(search())).toBe('no releases');
    expect(outcome(allRejected)).toBe('3 releases, all rejected — 2 too small for your quality profile, 1 without seeders');
    expect(outcome(search({ found: 1, rejected: 1, rejections: [{ code: 'wrong_episode', reason: 'wrong episode', count: 1 }] })))
      .toBe('1 release, rejected — 1 wrong episode');
    expect(outcome(search({ found: 5, fitting: 3, rejected: 2, rejections: [{ code: 'recording', reason: 'cinema recording or screener', count: 2 }] })))
      .toBe('5 releases, 2 rejected — 2 cinema recording or screener');
    expect(outcome(search({ found: 4, fitting: 4 }))).toBe('4 releases, all fit');
  });

  it('puts the failure in words before any count', () => {
    expect(outcome(search({ error: 'no answer within 10.0 s' }))).toBe('it failed — no answer within 10.0 s');
  });

  it('reads as one sentence naming the indexer and the query', () => {
    expect(explainIndexer(allRejected, 'Inception')).toBe(
      'Asked Demo indexer (local) for Inception (IMDb tt1375666): 3 releases, all rejected — 2 too small for your quality profile, 1 without seeders',
    );
  });
});

describe('what to do next', () => {
  it('asks for an indexer when none is set up, in the words that fit the role', () => {
    expect(nextSteps([], true)).toEqual(['Add an indexer (Prowlarr, Jackett or any Torznab feed) under Admin → Indexers.']);
    expect(nextSteps([], false)).toEqual(['No indexer is set up yet: ask your admin to add one.']);
  });

  it('suggests another indexer when the indexers had nothing', () => {
    expect(nextSteps([search()], true)).toEqual(['Your indexers have nothing for this title: add another indexer under Admin → Indexers.']);
  });

  it('suggests relaxing the profile for profile rejects and waiting for seeders', () => {
    expect(nextSteps([allRejected], false)).toEqual([
      'Relax your quality profile (its size limits, minimum seeders or excluded codecs) to accept some rejected releases.',
      'Releases without seeders may get some later: search again in a while.',
    ]);
  });

  it('points at a failing indexer first and at other indexers for releases of other episodes', () => {
    const failing = search({ indexer: 'Locked', error: 'the API key was refused: …' });
    const other = search({ found: 2, rejected: 2, rejections: [{ code: 'wrong_episode', reason: 'wrong episode', count: 2 }] });
    expect(nextSteps([failing, other], true)).toEqual([
      'Check the failing indexer’s address and API key under Admin → Indexers, then search again.',
      'The releases found are for other titles or episodes: add another indexer under Admin → Indexers.',
    ]);
  });
});
