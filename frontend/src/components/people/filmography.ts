import type { CrewCredit, FilmographyEntry } from '../../api/types';

/** One title in a filmography group; a person with two jobs on it (Writer, Director) is one row. */
export interface FilmographyRow extends FilmographyEntry {
  roles: string[];
}

export interface FilmographyGroup {
  /** "Acting", "Directing", "Writing", ... */
  label: string;
  rows: FilmographyRow[];
}

/** Crew jobs by department, TMDB's names (IMDb categories map onto the same words). */
const DEPARTMENT: [string, RegExp][] = [
  ['Directing', /\bdirector\b|directing/i],
  ['Writing', /writ|screenplay|story|novel|author|teleplay|creator|characters/i],
  ['Production', /producer|production|casting/i],
  ['Sound', /composer|music|sound/i],
  ['Camera', /photography|cinematograph|camera/i],
  ['Editing', /editor|editing/i],
];

export function departmentOf(entry: Pick<FilmographyEntry, 'kind' | 'role'>): string {
  if (entry.kind === 'cast') return 'Acting';
  const job = entry.role ?? '';
  // "Director of Photography" is camera work, not directing.
  if (/photography/i.test(job)) return 'Camera';
  return DEPARTMENT.find(([, pattern]) => pattern.test(job))?.[0] ?? 'Crew';
}

const ORDER = ['Acting', 'Directing', 'Writing', 'Production', 'Sound', 'Camera', 'Editing', 'Crew'];

/** Newest first; titles without a year (announced, undated) lead, as they are the newest news. */
const byYearDesc = (a: FilmographyRow, b: FilmographyRow) =>
  (b.year ?? Number.MAX_SAFE_INTEGER) - (a.year ?? Number.MAX_SAFE_INTEGER) || a.title.localeCompare(b.title);

/**
 * The filmography grouped by what the person did (Acting / Directing / Writing / ...), each group
 * newest first. The person's own department comes first; the rest keep a fixed order.
 */
export function groupFilmography(entries: FilmographyEntry[], knownFor?: string | null): FilmographyGroup[] {
  const groups = new Map<string, Map<number, FilmographyRow>>();
  for (const entry of entries) {
    const label = departmentOf(entry);
    const rows = groups.get(label) ?? new Map<number, FilmographyRow>();
    groups.set(label, rows);
    const row = rows.get(entry.mediaId);
    if (row) {
      if (entry.role && !row.roles.includes(entry.role)) row.roles.push(entry.role);
      row.seen ||= entry.seen;
    } else {
      rows.set(entry.mediaId, { ...entry, roles: entry.role ? [entry.role] : [] });
    }
  }
  const rank = (label: string) => (label === knownFor ? -1 : ORDER.indexOf(label));
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([label, rows]) => ({ label, rows: [...rows.values()].sort(byYearDesc) }));
}

/** How many distinct titles of the filmography the user has seen, of how many. */
export function seenCount(entries: FilmographyEntry[]): { seen: number; total: number } {
  const titles = new Map<number, boolean>();
  for (const entry of entries) titles.set(entry.mediaId, (titles.get(entry.mediaId) ?? false) || entry.seen);
  return { seen: [...titles.values()].filter(Boolean).length, total: titles.size };
}

/** "1954–2023", "Born 1962", or nothing. */
export function lifeYears(birth?: number | null, death?: number | null): string | undefined {
  if (birth && death) return `${birth}–${death}`;
  if (birth) return `Born ${birth}`;
  if (death) return `Died ${death}`;
  return undefined;
}

/** The crew line of a title page: the key jobs, in this order, each with its people (once each). */
const KEY_JOBS = ['Director', 'Creator', 'Screenplay', 'Writer', 'Story', 'Novel', 'Original Music Composer', 'Director of Photography'];

export function keyCrew(crew: CrewCredit[], limit = 4): { job: string; people: CrewCredit[] }[] {
  const jobs = new Map<string, CrewCredit[]>();
  for (const member of crew) {
    if (!KEY_JOBS.includes(member.job)) continue;
    const list = jobs.get(member.job) ?? [];
    if (!list.some((m) => m.personId === member.personId)) list.push(member);
    jobs.set(member.job, list);
  }
  return [...jobs.entries()]
    .sort(([a], [b]) => KEY_JOBS.indexOf(a) - KEY_JOBS.indexOf(b))
    .slice(0, limit)
    .map(([job, people]) => ({ job, people }));
}
