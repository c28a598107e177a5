import { render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { ExternalRatings } from './ExternalRatings';
import { ScoreBadge } from './Rating';

describe('ratings say their scale', () => {
  it('puts the community average on five stars, "3.9/5", and shows nothing without a score', () => {
    render(() => (
      <>
        <ScoreBadge value={7.8} />
        <ScoreBadge value={null} />
        <ScoreBadge value={0} />
      </>
    ));
    const badge = screen.getByRole('img', { name: 'Viewers rate it 3.9 out of 5' });
    expect(badge).toHaveTextContent(/^3\.9\/5$/);
    expect(screen.getAllByRole('img')).toHaveLength(1);
  });

  it('shows IMDb on its scale of ten, the tomato as a percent and the Metascore in its box', () => {
    render(() => (
      <ExternalRatings
        ratings={[
          { source: 'imdb', value: '8.8/10', score: 88, votes: 2_400_000 },
          { source: 'rotten_tomatoes', value: '87%', score: 87, votes: null },
          { source: 'metacritic', value: '74/100', score: 74, votes: null },
        ]}
      />
    ));
    const [imdb, tomato, meta] = screen.getAllByRole('listitem');
    expect(imdb).toHaveTextContent(/^IMDb8\.8\/10$/);
    expect(tomato).toHaveTextContent(/^87%$/);
    expect(meta).toHaveTextContent(/^74Metascore$/);
  });
});
