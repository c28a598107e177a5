"""One-shot importer of other tools' own parser test cases into the naming corpus; kept to show how it was done.

Run once with the tools' test files in a directory (``python import_fixtures.py DIR``); the YAML files are the
source of truth afterwards. Only the facts are taken -- a name and the fields the tool's own test expects for it
-- mapped to our fields; no parser code. Sources (repository @ commit, file), each entry's ``source`` names it:

* sonarr:<Fixture>   github.com/Sonarr/Sonarr @ 49df353f, src/NzbDrone.Core.Test/ParserTests/<Fixture>.cs (GPLv3)
* radarr:<Fixture>   github.com/Radarr/Radarr @ 1b9662d5, src/NzbDrone.Core.Test/ParserTests/<Fixture>.cs (GPLv3)
* jellyfin:<Tests>   github.com/jellyfin/jellyfin @ c3ed1407, tests/Jellyfin.Naming.Tests/{TV,Video}/<Tests>.cs
* anitopy:table      github.com/igorcmoura/anitopy @ 1a151905, tests/fixtures/table.py (anitomy's cases; MPL-2.0)

Mapping to our conventions (see the YAML headers): a title the tool keeps with its year (``Series Title 2010``,
``Foo (2019)``) is title + year; a fansub season marker the tool keeps in the title (``Title S2``, ``Title 2nd
Season``) is title + season, and the tool's absolute number after it (under 100) the episode in that season
(``Title S2 - 07`` is S02E07; ``Title S21 999`` stays absolute 999); an episode number with no season is
``absolute``; a movie's scene edition tags, which the tools' title tests do not assert, are the corpus's
``edition`` (``editions``). Not imported: a Japanese-variety ``ep08`` that a tool files under season 1 by its own
convention, specials, decimals (``12.5``), ranges of absolute numbers, a case whose expectation is partial (only
the last episode of a range, only a season), and names the tool asserts must not parse (no fields to score).

The split is decided before any tuning, from the name alone: an entry is ``validation`` when the first byte of
sha256(path) is even, so about half of every class and source is never looked at while the parser is changed.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import yaml
from build_corpus import HERE, classify

sys.path.insert(0, str(HERE.parents[1] / "unit"))
from library_corpus import split_of  # the one rule the unit test checks each split against

YEAR_TAIL = re.compile(r"^(?P<title>.+?)[ ._-]*\(?(?P<year>(?:19|20)\d\d)\)?$")
SEASON_TAIL = re.compile(r"(?i)^(?P<title>.+?)\s+(?:S(?P<s>\d{1,2})|(?P<n>\d{1,2})(?:st|nd|rd|th)\s+Season|"
                         r"Season\s+(?P<m>\d{1,2}))$")


def _args(text: str) -> list:
    """The arguments of one ``[TestCase(...)]`` / ``[InlineData(...)]`` as Python values."""
    text = re.sub(r'@"((?:[^"]|"")*)"', lambda m: repr(m.group(1).replace('""', '"')), text)
    text = re.sub(r"new\s*(?:int)?\[\]\s*\{([^}]*)\}", r"[\1]", text)
    text = re.sub(r"\bnull\b", "None", text).replace("true", "True").replace("false", "False")
    text = re.sub(r"(?<=\d)[mdf]\b", "", text)
    return list(ast.literal_eval(f"[{text}]"))


def cases(path: Path) -> dict[str, list[list]]:
    """``{test method: [its cases]}``: each attribute line belongs to the next method declared."""
    out: dict[str, list[list]] = {}
    pending: list[list] = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        stripped = line.strip()
        found = re.match(r"^\[(?:TestCase|InlineData)\((.*)\)\]\s*(?://.*)?$", stripped)
        if found:
            try:
                pending.append(_args(found.group(1)))
            except (SyntaxError, ValueError):
                continue
            continue
        method = re.match(r"public (?:async )?\w+ (\w+)\(", stripped)
        if method:
            out.setdefault(method.group(1), []).extend(pending)
            pending = []
    return out


def titled(title: str | None, entry: dict) -> dict:
    """Our title (and year, and season) from a tool's expected title."""
    title = (title or "").strip()
    year = YEAR_TAIL.match(title)
    if year and not re.fullmatch(r"[\d ._-]+", year.group("title")):
        title, entry["year"] = year.group("title"), int(year.group("year"))
    season = SEASON_TAIL.match(title)
    if season and "season" not in entry:
        title = season.group("title")
        entry["season"] = int(season.group("s") or season.group("n") or season.group("m"))
    if title:
        entry["title"] = title
    return entry


def episode(path: str, title: str | None, *, season: int | None = None, episodes=None, absolute=None,
            air_date: str | None = None, year: int | None = None) -> dict:
    entry: dict = {"path": path, "type": "episode"}
    if season is not None:
        entry["season"] = season
    entry = titled(title, entry)
    if year is not None:
        entry["year"] = year
    if episodes is not None:
        entry["episode"] = episodes[0] if len(episodes) == 1 else sorted(set(episodes))
    if absolute is not None and episodes is None and "season" in entry and season is None and absolute < 100:
        entry["episode"] = absolute  # "Title S2 - 07": the tool's title keeps "S2"; ours reads S02E07
    elif absolute is not None:
        entry["absolute"] = absolute
    if air_date:
        entry["airDate"] = air_date
    return entry


def sonarr(root: Path) -> list[tuple[dict, str]]:
    out: list[tuple[dict, str]] = []

    def add(fixture: str, method: str, build) -> None:
        for args in cases(root / f"sonarr_{fixture}.cs").get(method, []):
            entry = build(*args)
            if entry:
                out.append((entry, f"sonarr:{fixture.removesuffix('Fixture')}"))

    add("SingleEpisodeParserFixture", "should_parse_single_episode",
        lambda p, t, s, e: episode(p, t, season=s, episodes=[e]))
    add("MultiEpisodeParserFixture", "should_parse_multiple_episodes",
        lambda p, t, s, eps: episode(p, t, season=s, episodes=eps))
    add("AbsoluteEpisodeNumberParserFixture", "should_parse_absolute_numbers",
        lambda p, t, a, s, e: episode(p, t, absolute=a) if (s, e) == (0, 0)
        else episode(p, t, season=s, absolute=a) if e == 0  # a season the name states, no episode in it
        else episode(p, t, season=s, episodes=[e], absolute=a))
    add("AbsoluteEpisodeNumberParserFixture", "should_parse_anime_season_packs",
        lambda p, t, s: episode(p, t, season=s))
    add("DailyEpisodeParserFixture", "should_parse_daily_episode",
        lambda p, t, y, m, d: episode(p, t, air_date=f"{y:04d}-{m:02d}-{d:02d}"))
    add("DailyEpisodeParserFixture", "should_parse_daily_episode_using_short_month_format",
        lambda p, t, y, m, d: episode(p, t, air_date=f"{y:04d}-{m:02d}-{d:02d}"))
    add("SeasonParserFixture", "should_parse_full_season_release", lambda p, t, s: episode(p, t, season=s))
    add("MiniSeriesEpisodeParserFixture", "should_parse_mini_series_episode",
        lambda p, t, e: episode(p, t, absolute=e))
    for method in ("should_parse_chinese_anime_releases", "should_parse_unbracketed_chinese_anime_releases",
                   "should_parse_false_positive_chinese_anime_releases"):
        add("UnicodeReleaseParserFixture", method, lambda p, t, g, a: episode(p, t, absolute=a))
    add("UnicodeReleaseParserFixture", "should_parse_gm_team_releases_and_files",
        lambda p, t, a: episode(p, t, absolute=a))
    add("UnicodeReleaseParserFixture", "should_parse_unicode_digits", lambda p, t, a: episode(p, t, absolute=a))
    add("UnicodeReleaseParserFixture", "should_parse_full_season_releases",
        lambda p, t, g, s: episode(p, t, season=s))
    add("UnicodeReleaseParserFixture", "should_parse_multi_episode_release",
        lambda p, t, g, s, eps: episode(p, t, season=s, episodes=eps))
    add("PathParserFixture", "should_parse_multi_episode_from_path",
        lambda p, t, s, eps: episode(p.replace("\\", "/"), t, season=s, episodes=eps))
    return out


def radarr(root: Path) -> list[tuple[dict, str]]:
    out: list[tuple[dict, str]] = []
    found = cases(root / "radarr_ParserFixture.cs")
    for path, title, _group, year in found.get("should_parse_anime_movie_title", []):
        out.append(({"path": path, "title": title, "type": "movie", "year": year}, "radarr:ParserFixture"))
    for path, title, _group in found.get("should_parse_anime_movie_title_without_year", []):
        out.append(({"path": path, "title": title, "type": "movie"}, "radarr:ParserFixture"))
    for path, title in found.get("should_parse_movie_title", []) + found.get("should_parse_movie_folder_name", []):
        # the fixture asserts the title only; the year is the release year written after it, when there is one
        rest = path[path.lower().find(title.lower()[-4:]) + 4:] if title.lower()[-4:] in path.lower() else path
        year = re.search(r"(?<![0-9])((?:19|20)\d\d)(?![0-9])", rest)
        entry = {"path": path, "title": title, "type": "movie"}
        if year:
            entry["year"] = int(year.group(1))
        out.append((entry, "radarr:ParserFixture"))
    return out


def jellyfin(root: Path) -> list[tuple[dict, str]]:
    out: list[tuple[dict, str]] = []
    for path, _is_dir, title, season, ep in cases(root / "jf_EpisodePathParserTest.cs").get(
            "ParseEpisodesCorrectly", []):
        if re.search(r"(?i)\d[-x]\d+[-x ]|x\d\d - |E\d+-E", path.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]):
            continue  # a range: the test asserts its first episode only
        out.append((episode(path.replace("\\", "/"), title, season=season, episodes=[ep]),
                    "jellyfin:EpisodePathParserTest"))
    for path, title, year in cases(root / "jf_CleanDateTimeTests.cs").get("CleanDateTimeTest", []):
        if not path or year is None:
            continue  # the test asserts the name is left whole, not what the title is
        out.append(({"path": path, "title": title, "type": "movie", "year": year}, "jellyfin:CleanDateTimeTests"))
    for path, title, y, m, d in cases(root / "jf_DailyEpisodeTests.cs").get("Test", []):
        out.append((episode(path, title, air_date=f"{y:04d}-{m:02d}-{d:02d}"), "jellyfin:DailyEpisodeTests"))
    for args in cases(root / "jf_SimpleEpisodeTests.cs").get("TestSimple", []):
        path, title, season, ep = args[:4]
        if len(args) > 4:
            continue
        entry = (episode(path, title, season=season, episodes=[ep]) if season is not None
                 else episode(path, title, absolute=ep))
        out.append((entry, "jellyfin:SimpleEpisodeTests"))
    for path, number in cases(root / "jf_AbsoluteEpisodeNumberTests.cs").get("GetEpisodeNumberFromFileTest", []):
        out.append((episode(path, path.split("/")[0], absolute=number), "jellyfin:AbsoluteEpisodeNumberTests"))
    for number, path in cases(root / "jf_EpisodeNumberWithoutSeasonTests.cs").get("GetEpisodeNumberFromFileTest",
                                                                                   []):
        season = re.search(r"S(\d+)E\d+", path)
        folder = re.sub(r"\s*\(\d{4}-\d{4}\)$", "", path.split("/")[0])
        entry = (episode(path, folder, season=int(season.group(1)), episodes=[number]) if season
                 else episode(path, folder, absolute=number))
        out.append((entry, "jellyfin:EpisodeNumberWithoutSeasonTests"))
    return out


def anitopy(root: Path) -> list[tuple[dict, str]]:
    namespace: dict = {}
    exec(compile((root / "anitopy_table.py").read_text(encoding="utf-8"), "table", "exec"), namespace)  # noqa: S102
    out: list[tuple[dict, str]] = []
    for name, _options, want in namespace["table"]:
        title, kind = want.get("anime_title"), str(want.get("anime_type") or "")
        number, season, year = want.get("episode_number"), want.get("anime_season"), want.get("anime_year")
        if not title or any(k in want for k in ("volume_number", "episode_number_alt")) or isinstance(season, list):
            continue
        if number is None:
            if kind.lower() != "movie" or season is not None:
                continue  # a batch, an OVA or an extra: no episode fields to score
            entry = {"path": name, "title": title, "type": "movie"}
        else:
            numbers = number if isinstance(number, list) else [number]
            if not all(re.fullmatch(r"\d+", n) for n in numbers) or (kind and kind.lower() not in ("tv", "")):
                continue
            ints = [int(n) for n in numbers]
            if len(ints) > 1 and season is None:
                continue
            if len(ints) > 1:
                ints = list(range(ints[0], ints[-1] + 1))
            entry = (episode(name, None, season=int(season), episodes=ints) if season is not None
                     else episode(name, None, absolute=ints[0]))
            entry["title"] = title
        if year:
            entry["year"] = int(year)
        out.append((entry, "anitopy:table"))
    return out


EDITIONS = (("Extended", r"extended"), ("Unrated", r"unrated"), ("Uncut", r"uncut"), ("Remastered", r"remastered"),
            ("IMAX", r"imax"), ("Director's Cut", r"director'?s[ ._-]cut|dc"), ("Theatrical", r"theatrical"),
            ("Limited", r"limited"), ("Criterion", r"criterion"), ("Special", r"special[ ._-]edition"),
            ("Final Cut", r"final[ ._-]cut"), ("Redux", r"redux"), ("Collector", r"collector'?s?"),
            ("Festival", r"festival"), ("Restored", r"restored"))


def editions(path: str) -> list[str]:
    """The scene edition tags a movie's name carries (the tools' title tests do not assert them; ours scores them):
    the words scenerules.org and Radarr's edition list use, written as the corpus writes them."""
    name = path.rsplit("/", 1)[-1]
    return [label for label, word in EDITIONS if re.search(rf"(?i)(?<![a-z]){word}(?![a-z])", name)]


ORDER = ("path", "title", "type", "year", "season", "episode", "absolute", "airDate", "edition")


def main(root: Path) -> None:
    groups: dict[str, list[dict]] = {}
    seen = set()
    for path in sorted(HERE.glob("*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))["names"]
        groups[path.stem] = entries
        seen |= {entry["path"] for entry in entries}
    for entry, source in sonarr(root) + radarr(root) + jellyfin(root) + anitopy(root):
        if entry["path"] in seen or not entry["path"].strip():
            continue
        seen.add(entry["path"])
        if entry["type"] == "movie" and "edition" not in entry and editions(entry["path"]):
            found = editions(entry["path"])
            entry["edition"] = found[0] if len(found) == 1 else found
        entry = {key: entry[key] for key in ORDER if key in entry}
        groups[classify(entry)].append({**entry, "source": source, "split": split_of(entry["path"])})
    for cls, entries in groups.items():
        text = (HERE / f"{cls}.yaml").read_text(encoding="utf-8")
        header = text[:text.index("\nnames:")]
        lines = [header, "names:"]
        lines += ["- " + yaml.safe_dump(e, default_flow_style=True, sort_keys=False, allow_unicode=True,
                                        width=10_000).strip() for e in entries]
        (HERE / f"{cls}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
