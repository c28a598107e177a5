import type { StatusTone } from '../ui/StatusDot';

/** Display names of the scheduled jobs chalicelib/admin/jobs.py knows, and what each does; others show their raw name. */
const JOBS: Record<string, { label: string; purpose: string }> = {
  'catalog.tmdb_genres': { label: 'TMDB genres', purpose: 'Fetch the movie and TV genres from TMDB' },
  'catalog.tmdb_movies': { label: 'TMDB movies', purpose: 'Refresh popular, trending and upcoming movies from TMDB' },
  'catalog.tmdb_shows': { label: 'TMDB shows', purpose: 'Refresh popular, trending and airing shows from TMDB' },
  'catalog.igdb_games': { label: 'IGDB games', purpose: 'Refresh popular and upcoming games from IGDB' },
  'catalog.curated': { label: 'Curated sections', purpose: 'Rebuild the Discover sections from the catalog' },
  'recommendations.snapshots': { label: 'Recommendations', purpose: "Recompute everyone's recommendations" },
  'calendar.fill': { label: 'Release calendar', purpose: 'Fetch release dates of followed shows, movies and games' },
  'cleanup.daily': { label: 'Cleanup', purpose: 'Remove expired sessions, old download events and leftover uploads' },
  'picks.monitor': { label: 'Release monitor', purpose: 'Monitor wanted titles for new releases and get better ones' },
};

export const jobLabel = (name: string) => JOBS[name]?.label ?? name;
export const jobPurpose = (name: string) => JOBS[name]?.purpose;

const KEY_HINTS: Record<string, string> = {
  tmdb: 'Needs a TMDB key — add it in Settings → Instance.',
  igdb: 'Needs Twitch (IGDB) credentials — add them in Settings → Instance.',
};

/** Why a job does nothing yet: the key it lacks (the API's needsKey), in words. */
export const keyHint = (needsKey: string | null | undefined) => (needsKey ? (KEY_HINTS[needsKey] ?? `Needs a ${needsKey} key — add it in Settings → Instance.`) : undefined);

/** "rate(6 hours)" -> "Every 6 hours", "rate(1 day)" -> "Every day"; cron expressions are shown as they are. */
export function scheduleLabel(schedule: string | null): string {
  if (!schedule) return 'Not scheduled';
  const rate = /^rate\((\d+)\s+(\w+?)s?\)$/.exec(schedule);
  if (!rate) return schedule;
  const [, count, unit] = rate;
  return count === '1' ? `Every ${unit}` : `Every ${count} ${unit}s`;
}

const JOB_STATUS: Record<string, { label: string; tone: StatusTone }> = {
  ok: { label: 'Succeeded', tone: 'ok' },
  failed: { label: 'Failed', tone: 'danger' },
  running: { label: 'Running', tone: 'pending' },
  skipped: { label: 'Skipped', tone: 'warn' },
};

export function jobStatus(status: string | null): { label: string; tone: StatusTone } {
  if (!status) return { label: 'Never run', tone: 'pending' };
  return JOB_STATUS[status] ?? { label: status, tone: 'warn' };
}

/** 820 -> "820 ms", 95_000 -> "1m 35s". */
export function formatMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m ${Math.round(s % 60)}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** "seen-download-commands" -> "Download commands". */
export function queueLabel(name: string): string {
  const words = name.replace(/^seen-/, '').replace(/[-_]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

const MEDIA_LABELS: Record<string, string> = { movie: 'Movies', show: 'Shows', game: 'Games', unmatched: 'Unmatched' };
export const mediaLabel = (type: string) => MEDIA_LABELS[type] ?? type;
