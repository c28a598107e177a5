/**
 * Generated artwork for titles without a poster: a two-tone gradient derived
 * from the title alone (the same title gets the same picture on every page and
 * every visit), with the title itself set as the cover's typography.
 */

/** FNV-1a: small, fast and stable across engines (unlike anything Math.random). */
export function hashString(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i += 1) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const STOP_WORDS = new Set(['the', 'a', 'an', 'of', 'and', 'le', 'la', 'les', 'der', 'die', 'das', 'el']);

/** Up to two letters: the first letters of the first two significant words ("The Dark Knight" -> "DK"). */
export function initials(title: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const significant = words.filter((word) => !STOP_WORDS.has(word.toLowerCase()));
  const chosen = (significant.length ? significant : words).slice(0, 2);
  const letters = chosen.map((word) => word[0]!.toUpperCase()).join('');
  return letters || '?';
}

export interface PlaceholderArt {
  initials: string;
  /** CSS background for the poster. */
  background: string;
  /** Hue of the dominant colour, for matching accents. */
  hue: number;
}

/** Deterministic art for a title; the palette stays near the brand's blue-violet range. */
export function placeholderArt(title: string): PlaceholderArt {
  const hash = hashString(title.trim().toLowerCase());
  // Hues between teal (185) and magenta (305) sit well next to #00b7ff and #5800a9.
  const hue = 185 + (hash % 120);
  const second = (hue + 40 + ((hash >>> 8) % 60)) % 360;
  const angle = 140 + ((hash >>> 16) % 80);
  const background =
    `radial-gradient(120% 80% at 20% 0%, hsl(${hue} 70% 38% / 0.9), transparent 60%), ` +
    `linear-gradient(${angle}deg, hsl(${hue} 55% 22%), hsl(${second} 60% 14%))`;
  return { initials: initials(title), background, hue };
}

/**
 * The placeholder's title size, as a share of the poster's width (container query
 * units): short titles set large like a cover, long ones smaller so that they fit
 * in four lines. The longest word counts too, so "Oppenheimer" does not break mid-word.
 */
export function titleScale(title: string): number {
  const length = title.trim().length;
  const longestWord = Math.max(0, ...title.split(/\s+/).map((word) => word.length));
  const byLength = length <= 8 ? 17 : length <= 16 ? 14 : length <= 28 ? 12 : length <= 44 ? 10 : 8.5;
  // A word of n letters at ~0.6em per letter must fit in the ~82% of the width inside the padding.
  const byWord = longestWord ? 82 / (longestWord * 0.62) : byLength;
  return Math.round(Math.min(byLength, byWord) * 10) / 10;
}
