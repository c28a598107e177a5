/** Short names for the API's schemas (generated in schema.d.ts). */
import type { components } from './schema';

type S = components['schemas'];

/** What catalog browsing, search and recommendations take: a channel's video is never one of them. */
export type MediaType = Exclude<S['MediaCard']['mediaType'], 'video'>;
/** What a title can be wherever it is shown (history, downloads, the library): a channel's video too. */
export type AnyMediaType = S['MediaCard']['mediaType'];
export type MediaCard = S['MediaCard'];
export type MediaSummary = S['MediaSummary'];
export type Suggestion = S['Suggestion'];
export type SearchHit = S['SearchHit'];
export type Section = S['Section'];
export type Genre = S['Genre'];
export type GenreTag = S['GenreTag'];
export type MovieDetail = S['MovieDetail'];
export type ShowDetail = S['ShowDetail'];
export type GameDetail = S['GameDetail'];
export type SeasonDetail = S['SeasonDetail'];
export type Episode = S['Episode'];
export type ShowProgress = S['ShowProgress'];
export type SeasonProgress = S['SeasonProgress'];
export type EpisodeProgress = S['EpisodeProgress'];
export type EpisodeRef = S['EpisodeRef'];
export type WatchLaterItem = S['WatchLaterItem'];
export type HistoryEntry = S['HistoryEntry'];
export type RatingOut = S['RatingOut'];
export type FavoriteOut = S['FavoriteOut'];
export type ContinueItem = S['ContinueItem'];
export type CollectionOut = S['CollectionOut'];
export type CollectionItemOut = S['CollectionItemOut'];
export type BacklogEntry = S['BacklogEntry'];
export type BacklogInput = S['BacklogInInput'];
export type BacklogStatus = S['BacklogEntry']['status'];
export type Download = S['Download'];
export type DownloadDetail = S['DownloadDetail'];
export type DownloadEvent = S['DownloadEvent'];
export type DownloadStatus = S['Download']['status'];
export type SourceType = S['CreateDownloadInput']['sourceType'];
export type UserOut = S['UserOut'];
export type SessionOut = S['SessionOut'];
export type BrowseSort = 'trending' | 'popular' | 'top_rated' | 'newest' | 'hidden_gems' | 'most_rated' | 'popular_here' | 'a-z';

/** Anything with enough to draw a poster card. */
export interface TitleLike {
  id: number;
  mediaType: AnyMediaType;
  title: string;
  year?: number | null;
  posterUrl?: string | null;
  posterPath?: string | null;
  voteAverage?: number | null;
  /** IMDb / Rotten Tomatoes / Metacritic, where a list carries them. */
  externalRatings?: ExternalRating[] | null;
}

// Issue 19: sources, picks, indexers, the wanted list.
export type SourceCandidate = S['SourceCandidate'];
export type SourceSearch = S['SourcesOut'];
export type SourceError = S['SourceError'];
export type PickCreated = S['PickCreated'];
export type Indexer = S['IndexerOut'];
export type IndexerCaps = S['Caps'];
export type IndexerInput = S['IndexerCreateInput'];
export type IndexerPatch = S['IndexerPatchInput'];
export type WantedPage = S['Page_WantedGroup'];
export type WantedGroup = S['WantedGroup'];
export type WantedSeason = S['WantedSeason'];
export type WantedItem = S['WantedItem'];
export type WantedMonitor = S['Monitor'];

/**
 * A candidate's `parsed` object (chalicelib/sources/release.py `Release.as_json`). The API
 * documents it as a free-form object, so its keys are written out here.
 */
export interface ReleaseParsed {
  title?: string | null;
  year?: number | null;
  season?: number | null;
  seasons?: number[];
  episodes?: number[];
  pack?: boolean;
  absolute?: number | null;
  resolution?: number | null;
  source?: string | null;
  codec?: string | null;
  hdr?: string | null;
  audio?: string | null;
  languages?: string[];
  group?: string | null;
}

// Issue 23: catalog depth (people, credits, ratings from elsewhere, follows of people).
export type RatingSource = S['ExternalRating']['source'];
export type ExternalRating = S['ExternalRating'];
export type CastCredit = S['CastCredit'];
export type CrewCredit = S['CrewCredit'];
export type Credits = S['Credits'];
export type FilmographyEntry = S['FilmographyEntry'];
export type PersonDetail = S['PersonDetail'];
/** A person among the search results (page 1 only, at most 3). */
export type PersonHit = S['PersonHit'];
export type FollowedPerson = S['PersonFollow'];
export type PersonRef = S['PersonFollow']['person'];

/** What movie and show pages gain: credits, outside ratings and artwork. */
export interface CatalogDepth {
  credits?: Credits | null;
  externalRatings?: ExternalRating[] | null;
  logoUrl?: string | null;
  backdropUrl?: string | null;
}

export type TitleHit = SearchHit & { externalRatings?: ExternalRating[] | null };
export type SearchResult = TitleHit | PersonHit;
