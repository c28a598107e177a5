import type { StatusTone } from '../ui/StatusDot';

/** Display names of the scheduled jobs chalicelib/admin/jobs.py knows; others show their raw name. */
const JOB_LABELS: Record<string, string> = {
  'catalog.tmdb_genres': 'TMDB genres',
  'catalog.tmdb_movies': 'TMDB movies',
  'catalog.tmdb_shows': 'TMDB shows',
  'catalog.igdb_games': 'IGDB games',
  'catalog.curated': 'Curated sections',
  'recommendations.snapshots': 'Recommendations',
  'calendar.fill': 'Release calendar',
  'cleanup.daily': 'Cleanup',
};

export const jobLabel = (name: string) => JOB_LABELS[name] ?? name;

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
