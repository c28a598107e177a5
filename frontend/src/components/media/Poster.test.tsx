import { fireEvent, render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { placeholderArt, titleScale } from '../../lib/placeholder';
import { Poster } from './Poster';

const movie = { id: 1, mediaType: 'movie' as const, title: 'The Dark Knight' };

describe('Poster', () => {
  it('draws a generated cover with the whole title as its typography when there is no artwork', () => {
    render(() => <Poster title={{ ...movie, year: 2008 }} alt="Poster of The Dark Knight" />);
    const art = screen.getByRole('img', { name: 'Poster of The Dark Knight' });
    expect(art).toHaveAttribute('data-testid', 'poster-placeholder');
    expect(screen.getByTestId('poster-title')).toHaveTextContent(/^The Dark Knight$/);
    expect(art).toHaveTextContent('Movie · 2008');
    expect(art).not.toHaveTextContent(/\bDK\b/);
    expect(art.getAttribute('style')).toContain('gradient');
  });

  it('sets short titles large and long ones smaller, never wider than their longest word allows', () => {
    expect(titleScale('Heat')).toBeGreaterThan(titleScale('The Lord of the Rings: The Return of the King'));
    expect(titleScale('Dune')).toBeGreaterThan(titleScale('Oppenheimer'));
    // 11 letters at ~0.62em each stay inside the ~82% of the width the padding leaves.
    expect(titleScale('Oppenheimer') * 11 * 0.62).toBeLessThanOrEqual(82.5);
  });

  it('paints the same title the same way everywhere, and other titles differently', () => {
    render(() => (
      <>
        <Poster title={movie} alt="a" />
        <Poster title={{ ...movie, id: 2 }} alt="b" />
        <Poster title={{ ...movie, id: 3, title: 'Heat' }} alt="c" />
      </>
    ));
    const style = (name: string) => screen.getByRole('img', { name }).getAttribute('style');
    expect(style('a')).toBe(style('b'));
    expect(style('a')).not.toBe(style('c'));
    expect(placeholderArt('Heat').initials).toBe('H');
  });

  it('shows the artwork URL when the API gives one', () => {
    render(() => <Poster title={{ ...movie, posterUrl: 'https://img.test/dk.jpg' }} alt="Poster of The Dark Knight" />);
    expect(screen.getByRole('img', { name: 'Poster of The Dark Knight' })).toHaveAttribute('src', 'https://img.test/dk.jpg');
    expect(screen.queryByTestId('poster-placeholder')).not.toBeInTheDocument();
  });

  it('builds a TMDB URL from a tracking card posterPath', () => {
    render(() => <Poster title={{ ...movie, posterPath: '/abc.jpg' }} alt="p" />);
    expect(screen.getByRole('img', { name: 'p' })).toHaveAttribute('src', 'https://image.tmdb.org/t/p/w342/abc.jpg');
  });

  it('falls back to the placeholder when the image fails to load', () => {
    render(() => <Poster title={{ ...movie, posterUrl: 'https://img.test/missing.jpg' }} alt="Poster" />);
    fireEvent.error(screen.getByRole('img', { name: 'Poster' }));
    expect(screen.getByTestId('poster-title')).toHaveTextContent('The Dark Knight');
  });
});
