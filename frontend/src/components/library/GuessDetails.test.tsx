import { render, screen, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { UnmatchedQueue } from './UnmatchedQueue';
import { guessFields } from './GuessDetails';
import type { UnmatchedCard } from './labels';

const base = { createdAt: '2026-11-01T10:00:00Z', indexedAt: '2026-11-01T10:00:00Z', subtitleCount: 0 };

function unmatched(id: string, fileName: string, guess: UnmatchedCard['guess']): UnmatchedCard {
  return { ...base, id, fileName, title: guess.title ?? fileName, matchState: 'unmatched', matchConfidence: 0.2, guess, candidates: [] };
}

const inFolder = unmatched('a', '16 - 05 The Long Night.mkv', {
  title: 'Mad Men', season: 16, episode: 5, type: 'episode',
  evidence: ['season from folder `Season 16`, episode `05` after the season number'],
});
const daily = unmatched('b', 'The.Daily.Show.2018_03_24.720p.mkv', {
  title: 'The Daily Show', year: 2018, airDate: '2018-03-24', type: 'episode',
  evidence: ['air date `2018_03_24` in the name'],
});
const anime = unmatched('c', '[SubsPlease] One Piece - 1087 (1080p).mkv', { title: 'One Piece', absolute: 1087, evidence: [] });

describe('the review queue', () => {
  it('lists each file’s parsed fields and the evidence behind them', () => {
    render(() => <UnmatchedQueue items={[inFolder, daily, anime]} canEdit={false} onMatch={() => {}} onIgnore={() => {}} />);
    const fields = (name: string) => screen.getByLabelText(`Parsed fields of ${name}`).textContent;
    expect(fields('Mad Men')).toBe('TitleMad MenSeason16Episode5');
    expect(fields('The Daily Show')).toBe('TitleThe Daily ShowYear2018Air date2018-03-24');
    expect(fields('One Piece')).toBe('TitleOne PieceAbsolute1087');
    const evidence = within(screen.getByRole('list', { name: 'Evidence for Mad Men' })).getAllByRole('listitem');
    expect(evidence.map((li) => li.textContent)).toEqual(['season from folder `Season 16`, episode `05` after the season number']);
    expect(screen.getByRole('list', { name: 'Evidence for The Daily Show' }).textContent).toBe('air date `2018_03_24` in the name');
    expect(screen.queryByRole('list', { name: 'Evidence for One Piece' })).toBeNull();
  });

  it('says a season pack is a whole season', () => {
    expect(guessFields({ title: 'Severance', season: 2, pack: true })).toEqual([
      { label: 'Title', value: 'Severance' },
      { label: 'Season', value: '2' },
      { label: 'Episode', value: 'whole season (pack)' },
    ]);
  });
});
