/** How a ranked release is described: its facts, score parts and sides (fits / rejected). */
import type { GetTarget } from '../../api/sources';
import type { ReleaseParsed, SourceCandidate } from '../../api/types';
import { episodeCode } from '../library/labels';

/** "Heat", "Breaking Bad · Season 1", "Breaking Bad · S01E02". */
export function targetLabel(target: GetTarget): string {
  if (target.season == null) return target.title;
  if (target.episode == null) return `${target.title} · Season ${target.season}`;
  return `${target.title} · ${episodeCode(target.season, target.episode)}`;
}

type Parsed = ReleaseParsed;
type Score = SourceCandidate['score'];

/** The score parts in the order and weight the server sums them (each part 0–100). */
export const SCORE_PARTS: readonly { key: Exclude<keyof Score, 'total'>; label: string; weight: number }[] = [
  { key: 'health', label: 'Health', weight: 45 },
  { key: 'quality', label: 'Quality', weight: 35 },
  { key: 'size', label: 'Size', weight: 15 },
  { key: 'consistency', label: 'Consistency', weight: 5 },
];

const SOURCE_LABELS: Record<string, string> = {
  'web-dl': 'WEB-DL', webrip: 'WEBRip', bluray: 'BluRay', hdtv: 'HDTV', dvd: 'DVD', vod: 'VOD', cam: 'CAM',
  telesync: 'TS', telecine: 'TC', screener: 'Screener', workprint: 'Workprint',
};
const CODEC_LABELS: Record<string, string> = { h264: 'H.264', h265: 'H.265', av1: 'AV1', vp9: 'VP9', xvid: 'XviD', mpeg2: 'MPEG-2' };
const HDR_LABELS: Record<string, string> = { hdr10: 'HDR10', 'hdr10+': 'HDR10+', dv: 'Dolby Vision', hlg: 'HLG' };

const pad = (n: number) => String(n).padStart(2, '0');

/** "Season pack S01", "S01E02", "S01E01–E03": what the release holds, when it says. */
function holds(parsed: Parsed): string | undefined {
  const season = parsed.season ?? parsed.seasons?.[0];
  if (parsed.pack) return season != null ? `Season pack S${pad(season)}` : 'Pack';
  const episodes = parsed.episodes ?? [];
  if (season == null || episodes.length === 0) return undefined;
  const first = `S${pad(season)}E${pad(episodes[0]!)}`;
  return episodes.length > 1 ? `${first}–E${pad(episodes.at(-1)!)}` : first;
}

/** A candidate's parsed release (typed here: the API documents it as a free-form object). */
export const parsedOf = (c: Pick<SourceCandidate, 'parsed'>) => c.parsed as ReleaseParsed;

/** ["1080p", "WEB-DL", "H.265", "HDR10", "Season pack S01", "NTb"]: the chips under a release's name. */
export function releaseFacts(parsed: Parsed): string[] {
  const facts = [
    parsed.resolution ? `${parsed.resolution}p` : undefined,
    parsed.source ? (SOURCE_LABELS[parsed.source] ?? parsed.source) : undefined,
    parsed.codec ? (CODEC_LABELS[parsed.codec] ?? parsed.codec) : undefined,
    parsed.hdr ? (HDR_LABELS[parsed.hdr] ?? parsed.hdr) : undefined,
    holds(parsed),
    parsed.group ?? undefined,
  ];
  return facts.filter((f): f is string => Boolean(f));
}

/** 73.456 -> 73 (the bars and the total are whole points out of 100). */
export const points = (value: number | null | undefined) => Math.max(0, Math.min(100, Math.round(value ?? 0)));

/** A release's identity in the list (several indexers can list the same name). */
export const candidateKey = (c: SourceCandidate) => `${c.infohash ?? ''}|${c.indexer}|${c.name}`;

/** The releases to choose from (best first, as ranked) and the rejected ones (with their reason). */
export function splitCandidates(list: readonly SourceCandidate[]) {
  return { fits: list.filter((c) => !c.rejected), rejected: list.filter((c) => c.rejected) };
}

/** "12 seeders · 3 leechers"; unknown counts are left out. */
export function swarmLine(c: Pick<SourceCandidate, 'seeders' | 'leechers'>): string {
  const parts = [];
  if (c.seeders != null) parts.push(`${c.seeders.toLocaleString()} ${c.seeders === 1 ? 'seeder' : 'seeders'}`);
  if (c.leechers != null) parts.push(`${c.leechers.toLocaleString()} ${c.leechers === 1 ? 'leecher' : 'leechers'}`);
  return parts.join(' · ');
}
