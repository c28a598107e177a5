import { fireEvent, render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { placeholderArt } from '../../lib/placeholder';
import { Poster } from './Poster';

const movie = { id: 1, mediaType: 'movie' as const, title: 'The Dark Knight' };

describe('Poster', () => {
  it('draws the generated placeholder with initials when there is no artwork', () => {
    render(() => <Poster title={movie} alt="Poster of The Dark Knight" />);
    const art = screen.getByRole('img', { name: 'Poster of The Dark Knight' });
    expect(art).toHaveAttribute('data-testid', 'poster-placeholder');
    expect(art).toHaveTextContent('DK');
    expect(art.getAttribute('style')).toContain('gradient');
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
    expect(screen.getByTestId('poster-placeholder')).toHaveTextContent('DK');
  });
});
