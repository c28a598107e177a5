/** Picking the subtitle track to show by default from the viewer's language setting. */

/** ISO 639-2 (three-letter, as in MKV tags) to ISO 639-1 for the languages people set most. */
const THREE_TO_TWO: Record<string, string> = {
  eng: 'en', fre: 'fr', fra: 'fr', ger: 'de', deu: 'de', spa: 'es', ita: 'it', por: 'pt', nld: 'nl', dut: 'nl',
  swe: 'sv', nor: 'no', dan: 'da', fin: 'fi', pol: 'pl', rus: 'ru', ukr: 'uk', jpn: 'ja', kor: 'ko', chi: 'zh',
  zho: 'zh', ara: 'ar', heb: 'he', tur: 'tr', gre: 'el', ell: 'el', cze: 'cs', ces: 'cs', hun: 'hu', rum: 'ro',
  ron: 'ro', hin: 'hi', tha: 'th', vie: 'vi', ind: 'id',
};

/** "en-US", "eng", "EN" -> "en"; unknown codes are returned lower-cased. */
export function baseLanguage(code: string | null | undefined): string {
  const primary = (code ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return THREE_TO_TWO[primary] ?? primary;
}

export interface TrackLike {
  language: string;
  isDefault?: boolean;
  isForced?: boolean;
  source?: string | null;
}

/** The viewer's languages as an ordered list (one language, a list, or none). */
export function preferredList(preferred: string | readonly (string | null | undefined)[] | null | undefined): string[] {
  const list = typeof preferred === 'string' ? [preferred] : (preferred ?? []);
  const seen: string[] = [];
  for (const code of list) {
    const base = baseLanguage(code);
    if (base && !seen.includes(base)) seen.push(base);
  }
  return seen;
}

/**
 * Index of the track to show, or -1 for none. Without a preferred language,
 * subtitles stay off. With several, the first one that has a track wins. In a
 * language, a full track beats a forced one (forced tracks only cover
 * foreign-language lines), and the file's own default flag breaks ties.
 */
export function pickDefaultTrack(
  tracks: readonly TrackLike[],
  preferred: string | readonly string[] | null | undefined,
): number {
  const rank = (t: TrackLike) => (t.isForced ? 0 : 2) + (t.isDefault ? 1 : 0);
  for (const wanted of preferredList(preferred)) {
    let best = -1;
    tracks.forEach((track, index) => {
      if (baseLanguage(track.language) !== wanted) return;
      if (best === -1 || rank(track) > rank(tracks[best]!)) best = index;
    });
    if (best >= 0) return best;
  }
  return -1;
}

/**
 * The order the menu lists tracks in (indices into `tracks`): the viewer's
 * languages first, in their order, then the rest alphabetically by name; tracks
 * of one language keep the server's order (default and forced first).
 */
export function menuOrder(tracks: readonly (TrackLike & { label?: string | null })[],
  preferred: string | readonly string[] | null | undefined): number[] {
  const wanted = preferredList(preferred);
  const rankOf = (t: TrackLike) => {
    const at = wanted.indexOf(baseLanguage(t.language));
    return at === -1 ? wanted.length : at;
  };
  const names = tracks.map((t) => trackLabel({ language: t.language, label: null }).toLocaleLowerCase());
  return tracks
    .map((_, index) => index)
    .sort((a, b) => rankOf(tracks[a]!) - rankOf(tracks[b]!) || names[a]!.localeCompare(names[b]!) || a - b);
}

/** The menu's groups by where a track came from, in this order; tracks of another or no source come last. */
export const SOURCE_GROUPS: readonly { source: string; label: string }[] = [
  { source: 'embedded', label: 'In the video file' },
  { source: 'sidecar', label: 'Subtitle files' },
  { source: 'opensubtitles', label: 'OpenSubtitles' },
];

export interface MenuGroup {
  /** The source ("embedded", "sidecar", "opensubtitles"), or null for tracks of no known source. */
  source: string | null;
  /** The group's heading; null for the unlabelled group of tracks of no known source. */
  label: string | null;
  /** Indices into the tracks, in menu order. */
  indices: number[];
}

/**
 * The menu's tracks grouped by source (embedded, sidecar, fetched), each group
 * in `menuOrder` (or the server's order when `preferred` is undefined).
 */
export function menuGroups(tracks: readonly (TrackLike & { label?: string | null })[],
  preferred: string | readonly string[] | null | undefined): MenuGroup[] {
  const order = preferred === undefined ? tracks.map((_, index) => index) : menuOrder(tracks, preferred);
  const known = SOURCE_GROUPS.map((group): MenuGroup => ({ ...group, indices: order.filter((i) => tracks[i]!.source === group.source) }));
  const rest = order.filter((i) => !SOURCE_GROUPS.some((group) => group.source === tracks[i]!.source));
  const grouped = known.filter((group) => group.indices.length);
  if (rest.length) grouped.push({ source: null, label: grouped.length ? 'Other tracks' : null, indices: rest });
  return grouped;
}

/** A readable name for a track: its label, else the language's name, else the code. */
export function trackLabel(track: { language: string; label?: string | null; isForced?: boolean }): string {
  if (track.label) return track.label;
  let name = track.language;
  try {
    name = new Intl.DisplayNames(undefined, { type: 'language' }).of(baseLanguage(track.language)) ?? name;
  } catch {
    // not a valid BCP 47 tag (e.g. "und"): show the code as stored
  }
  return track.isForced ? `${name} (forced)` : name;
}
