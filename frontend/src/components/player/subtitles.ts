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
}

/**
 * Index of the track to show, or -1 for none. Without a preferred language,
 * subtitles stay off. With one, a full track in that language beats a forced
 * one (forced tracks only cover foreign-language lines), and the file's own
 * default flag breaks ties.
 */
export function pickDefaultTrack(tracks: readonly TrackLike[], preferred: string | null | undefined): number {
  if (!preferred) return -1;
  const wanted = baseLanguage(preferred);
  const rank = (t: TrackLike) => (t.isForced ? 0 : 2) + (t.isDefault ? 1 : 0);
  let best = -1;
  tracks.forEach((track, index) => {
    if (baseLanguage(track.language) !== wanted) return;
    if (best === -1 || rank(track) > rank(tracks[best]!)) best = index;
  });
  return best;
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
