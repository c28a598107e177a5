/** Display formatting shared by pages: sizes, durations, dates. */

/** Decimal units, like torrent clients' size columns and the scoring's reasons: 1 GB = 10^9 bytes. */
const STEP = 1000;
const UNITS = ['kB', 'MB', 'GB', 'TB', 'PB'] as const;

/** 999 -> "999 B", 1_500_000_000 -> "1.5 GB", 734_003_200 -> "734 MB" (one decimal below 10). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes)) return '—';
  if (bytes < STEP) return `${bytes} B`;
  let value = bytes / STEP;
  let unit = 0;
  // 999_999 is "1.0 MB", not "1000 kB": step up on the value as it will be shown.
  while (unit < UNITS.length - 1 && (value >= 10 ? Math.round(value) : value) >= STEP) {
    value /= STEP;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

export function formatSpeed(bps: number | null | undefined): string {
  return bps == null || bps <= 0 ? '—' : `${formatBytes(bps)}/s`;
}

/** 3725 -> "1h 2m", 95 -> "1m 35s", 42 -> "42s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** 136 -> "2h 16m". */
export function formatRuntime(minutes: number | null | undefined): string | undefined {
  if (!minutes) return undefined;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h}h${m ? ` ${m}m` : ''}` : `${m}m`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value.length === 10 ? `${value}T00:00:00` : value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTimeFormat.format(date);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatRelative(value: string | null | undefined, now: number = Date.now()): string {
  if (!value) return '—';
  const then = new Date(value).getTime();
  if (Number.isNaN(then)) return value;
  const diff = (then - now) / 1000;
  const abs = Math.abs(diff);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relative.format(Math.round(diff / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(diff / 3600), 'hour');
  if (abs < 86400 * 30) return relative.format(Math.round(diff / 86400), 'day');
  return formatDate(value);
}

type TitleType = 'movie' | 'show' | 'game' | 'video';
const TYPE_LABELS: Record<TitleType, string> = { movie: 'Movie', show: 'Show', game: 'Game', video: 'Video' };
const TYPE_ROUTES: Record<TitleType, string> = { movie: 'movies', show: 'shows', game: 'games', video: 'videos' };

export function mediaTypeLabel(type: TitleType): string {
  return TYPE_LABELS[type];
}

/** The app route of a title's detail page (a channel's video: its own page, which links to the channel). */
export function titleHref(title: { id: number; mediaType: TitleType }): string {
  return `/app/${TYPE_ROUTES[title.mediaType]}/${title.id}`;
}

/*
 * Ratings. The API rates 1–10 in half steps; people read five stars with halves (8 is ★★★★, "4 of 5").
 * Every rating on screen goes through these, so the scale is never left out.
 */

/** A 1–10 rating as stars out of five, to the nearest half: 8 -> 4, 9 -> 4.5, 8.5 -> 4.5; 0 when unrated. */
export function toStars(rating: number | null | undefined): number {
  if (rating == null || !Number.isFinite(rating) || rating <= 0) return 0;
  return Math.min(10, Math.max(1, Math.floor(rating + 0.5))) / 2;
}

/** Stars (0.5–5, halves) back to the API's 1–10 scale: 4 -> 8, 4.5 -> 9. */
export function fromStars(stars: number): number {
  return Math.min(10, Math.max(1, Math.round(stars * 2)));
}

/** 8 -> "★★★★", 9 -> "★★★★½", 1 -> "½" (the same text as the recommendation reasons); "" when unrated. */
export function formatStars(rating: number | null | undefined): string {
  const stars = toStars(rating);
  return '★'.repeat(Math.floor(stars)) + (stars % 1 ? '½' : '');
}

/** 8 -> "4 of 5", 9 -> "4.5 of 5": the words beside or behind the stars. */
export function formatStarsOf5(rating: number | null | undefined): string {
  const stars = toStars(rating);
  return stars ? `${stars} of 5` : 'Not rated';
}

/** A community average on 0–10 (TMDB's 7.8) on the same five-star scale, one decimal: "3.9". */
export function formatScoreOf5(score: number | null | undefined): string | undefined {
  if (score == null || !Number.isFinite(score) || score <= 0) return undefined;
  return (Math.round(Math.min(10, score) * 5) / 10).toFixed(1);
}
