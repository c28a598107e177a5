/** The player's heading: a title in words (never a release's file name) and the file's quality. */
import { episodeCode } from '../library/labels';
import type { PlayingTitle } from './downloadTarget';

/** "Breaking Bad · S01E02 · Cat's in the Bag", "The Matrix". */
export function headingText(playing: PlayingTitle): string {
  const code = playing.season != null && playing.episode != null ? episodeCode(playing.season, playing.episode) : undefined;
  return [playing.title, code, playing.episodeTitle].filter(Boolean).join(' · ');
}

const RESOLUTION = /(?:^|[^a-z0-9])(2160p|1440p|1080p|1080i|720p|576p|480p|4k|uhd)(?=$|[^a-z0-9])/i;

/** The quality a release or file name states ("The.Matrix.1999.1080p.BluRay.mkv" -> "1080p"; 4K/UHD -> "2160p"), or undefined. */
export function qualityOf(...names: (string | null | undefined)[]): string | undefined {
  for (const name of names) {
    const found = name ? RESOLUTION.exec(name)?.[1]?.toLowerCase() : undefined;
    if (found) return found === '4k' || found === 'uhd' ? '2160p' : found;
  }
  return undefined;
}

/** "Show.S01.1080p/Show.S01E02.mkv" -> "Show.S01E02.mkv". */
export const baseName = (path: string) => path.split('/').filter(Boolean).at(-1) ?? path;

/** A token that ends the title part of a release name: a season/episode code, a quality, a source. */
const TITLE_END = /^(s\d{1,2}(e\d{1,3})*|\d{1,2}x\d{2}|\d{3,4}[pi]|4k|uhd|web(-?dl|rip)?|hdtv|blu-?ray|bdrip|dvdrip|complete|season)$/i;
const YEAR = /^(19|20)\d{2}$/;

/**
 * "Slow.Horses.S01.720p.WEB-DL.x264-GRP" -> "Slow Horses"; "The.Matrix.1999.1080p" -> "The Matrix" (the
 * year right before the quality ends the title, so "Blade.Runner.2049.2017" keeps its 2049); a name with
 * nothing that marks where the title ends is kept as it is.
 */
export function releaseTitle(release: string): string {
  const words = release.replace(/\.(mkv|mp4|m4v|avi|webm|ts|mov|wmv)$/i, '').split(/[.\s_]+/).filter(Boolean);
  const mark = words.findIndex((word, i) => i > 0 && TITLE_END.test(word));
  const upto = mark === -1 ? words.length : mark;
  const year = upto - 1 > 0 && YEAR.test(words[upto - 1]!) ? upto - 1 : -1;
  const end = year > 0 ? year : mark;
  return end > 0 ? words.slice(0, end).join(' ') : release;
}

/**
 * The heading of a file whose title is not known (added by hand, or its lookup failed): the title read from
 * the release's name, with the episode code of a pack's file (the file name itself goes to the details line).
 */
export function fallbackHeading(release: string | null | undefined, file: { path: string; season?: number | null; episode?: number | null } | undefined): string {
  const code = file?.season != null && file.episode != null ? episodeCode(file.season, file.episode) : undefined;
  const name = releaseTitle(release || (file ? baseName(file.path) : 'Download'));
  return code && !name.toUpperCase().includes(code) ? `${name} · ${code}` : name;
}
