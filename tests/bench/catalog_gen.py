"""A catalog of a million titles shaped like one an IMDb import fills (issue 39), for the search bench.

What the import writes (``imdb_insert_titles``): movies and shows with an IMDb id, a title and an original
title, a year (as 1 January), a rating and a vote count, no popularity. A few in seven are also known to
TMDB (the discover rows and the titles a household tracked): they have a TMDB id, a popularity and an
original language. Titles are built the way real ones are, from real words drawn with Zipf's law (a few
words in many titles, most words in few), in the shapes titles take ("The Last Summer", "Love in the
City", "Night Train 2", "Harbor: The Return"), a sixth in another language (French, German, Spanish,
Italian, Japanese, Korean, Russian) whose original title is in that language and script and whose title is
an English one. Votes follow a power law (most titles have a handful, a few have hundreds of thousands).
Deterministic: the same rows from the same seed.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

TITLES = 1_000_000
SEED = 39

def _split(words: str) -> list[str]:
    return words.split()


# Words of English titles, most frequent first (as they rank in IMDb's titles, roughly).
ENGLISH = _split("""
love man life night day story world time girl house dead home last little black king death war blood christmas
dark big city lost heart dream secret wild family summer boy woman street shadow lady game road first great
red white end devil island moon star sun fire water children people land murder american girl's angel bad good
ghost kill money mother father brother sister daughter son friends wedding party school hotel train lake river
sea ocean mountain valley forest garden desert winter spring autumn morning evening midnight light heaven hell
paradise queen prince princess knight soldier hunter doctor detective killer stranger lover wife husband baby
kid kids old young new blue green golden silver iron stone glass paper crystal diamond gold steel broken
silent last hidden forgotten eternal final deadly sweet bitter beautiful dangerous crazy happy lonely perfect
true wrong strange simple secret lucky long short high low deep cold hot fast slow free wild mad quiet loud
return revenge rise fall escape journey adventure legend tale tales chronicles diary letters song songs dance
music rhythm blues rock jazz heart hearts soul souls mind eyes face hands kiss touch beauty beast monster
monsters dragon wolf tiger lion bird birds horse dog cat fox bear snake spider shark whale eagle raven crow
mirror window door room house castle tower bridge wall gate church temple palace prison station harbor port
airport hospital office factory farm ranch village town country nation empire kingdom republic state border
edge line point circle square cross road highway track trail path way north south east west center zero one
two three four five seven ten hundred thousand million number numbers code signal message call voice words
truth lies lie promise promises memory memories future past present today tomorrow yesterday forever always
never again alone together apart inside outside above below beyond between under over across through against
without within rain snow storm thunder lightning wind cloud clouds sky earth planet space galaxy universe
stars comet moonlight sunset sunrise dawn dusk shadow shadows darkness fear terror horror nightmare dreams
hope faith grace glory honor power force energy fury rage war wars battle fight fighter warrior warriors army
hero heroes legend legends villain enemy enemies spy spies agent agents mission operation target justice crime
criminal police cop cops judge law order chaos trouble danger risk chance luck fortune fate destiny history
mystery miracle magic spell witch witches wizard vampire vampires zombie zombies alien aliens robot robots
machine machines computer network ship ships boat captain pilot crew flight wings sky
""")
FILLERS = ["the", "of", "a", "in", "and", "to", "on", "at", "for", "with", "from", "my", "your", "our"]
SUBTITLES = ["The Return", "The Beginning", "Part Two", "The Final Chapter", "Revenge", "Reloaded", "Origins",
             "The Reckoning", "A New Hope", "The Last Stand", "Homecoming", "Resurrection", "Legacy", "Redemption"]
# (language code, words of titles in that language, a joiner between two nouns, the article)
FOREIGN: list[tuple[str, list[str], str, str]] = [
    ("fr", _split("""
        amour nuit vie homme femme été rêve cœur mère père fille garçon château mémoire étoile soleil guerre
        histoire dernier première ville mer île forêt hiver printemps lumière ombre peur silence voyage
        enfants frères sœurs chemin retour liberté destin fête jardin
        """), "de", "le"),
    ("de", _split("""
        liebe nacht leben mann frau haus krieg sommer traum herz mädchen schön grüne weiße tür straße stadt
        meer insel wald winter licht schatten angst stille reise kinder brüder weg rückkehr freiheit
        schicksal garten himmel hölle
        """), "der", "die"),
    ("es", _split("""
        amor noche vida hombre mujer casa guerra verano sueño corazón niña ciudad muerte año madre padre
        hijo hija mar isla bosque invierno luz sombra miedo silencio viaje niños hermanos camino regreso
        libertad destino jardín cielo
        """), "de", "la"),
    ("it", _split("""
        amore notte vita uomo donna casa guerra estate sogno cuore ragazza città morte anno madre padre
        figlio figlia mare isola bosco inverno luce ombra paura silenzio viaggio bambini fratelli strada
        ritorno libertà destino giardino cielo
        """), "di", "la"),
    ("ja", _split("""
        東京 物語 夜 愛 千 神隠し 風 花 月 夢 雪 海 空 光 影 街 少女 少年 戦争 家族 学校
        恋 桜 侍 忍者 魂 心 星 森 川 島 道 声 時間 記憶
        """), "の", ""),
    ("ko", _split("""
        사랑 밤 집 서울 이야기 바다 하늘 꽃 눈 비 바람 시간 기억 가족 친구 학교 전쟁 도시 마음 소녀 소년 별 달 길 노래
        """), "의", ""),
    ("ru", _split("""
        любовь ночь жизнь война дом город море остров лес зима лето свет тень страх тишина путь дорога
        возвращение свобода судьба сад небо мать отец сын дочь брат сестра
        """), "и", ""),
]
FOREIGN_SHARE = 6  # one title in this many is in another language
TMDB_IDS = 50_000_000  # past the demo catalog's TMDB ids
TMDB_SHARE = 7  # one title in this many is known to TMDB too (popularity, original language)


@dataclass(frozen=True, slots=True)
class Title:
    media_type: str
    imdb_id: str
    tmdb_id: int | None
    title: str
    original_title: str
    year: int
    popularity: float | None
    vote_average: float | None
    vote_count: int
    original_language: str | None


class Words:
    """Words drawn by Zipf's law (Mandelbrot's form: the k-th most frequent word 1/(k + 15) as often), which
    puts the most frequent, "love", in about 2% of titles as in IMDb's. The long tail past the real words is
    made-up names (places, people: "Varondel", "Kestrin"), as titles have them."""

    def __init__(self, rng: random.Random, real: list[str], invented: int) -> None:
        self.words = list(dict.fromkeys(real)) + _invented(rng, invented)
        self.weights = list(itertools.accumulate(1.0 / (rank + 16) for rank in range(len(self.words))))
        self.rng = rng

    def pick(self) -> str:
        return self.rng.choices(self.words, cum_weights=self.weights)[0]


def _invented(rng: random.Random, count: int) -> list[str]:
    onsets = _split("b c d f g h j k l m n p r s t v w z br dr gr kr st th tr sh ch")
    vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
    codas = ["", "", "n", "r", "l", "s", "th", "nd", "rk", "x"]
    found: dict[str, None] = {}
    while len(found) < count:
        syllables = rng.choice((2, 2, 3))
        word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables)) + rng.choice(codas)
        found[word] = None
    return list(found)


def _english(rng: random.Random, words: Words) -> str:
    shape = rng.random()
    w = words.pick
    if shape < 0.12:
        text = w()
    elif shape < 0.30:
        text = f"the {w()}"
    elif shape < 0.48:
        text = f"{w()} {w()}"
    elif shape < 0.60:
        text = f"the {w()} {w()}"
    elif shape < 0.72:
        text = f"{w()} of the {w()}"
    elif shape < 0.80:
        text = f"{w()} {rng.choice(FILLERS[3:])} {w()}"
    elif shape < 0.87:
        text = f"{w()} {w()} {w()}"
    elif shape < 0.93:
        text = f"{w()}: {rng.choice(SUBTITLES)}"
    else:
        text = f"{w()} {w()} {rng.randint(2, 6)}"
    return _titled(text)


def _titled(text: str) -> str:
    small = set(FILLERS)
    words = text.split()
    return " ".join(word if i and word in small else word[:1].upper() + word[1:] for i, word in enumerate(words))


def _foreign(rng: random.Random, words: list[str], joiner: str, article: str, names: Words) -> str:
    """A title in another language: its words, and as often as not a name ("Le Château de Varondel")."""
    a, b, c = rng.choice(words), rng.choice(words), rng.choice(words)
    shape = rng.random()
    if not article:  # Japanese, Korean, Russian: no article
        if joiner in ("の", "의"):
            return a if shape < 0.2 else f"{a}{joiner}{b}" if shape < 0.6 else f"{a}{joiner}{b}{c}"
        return a if shape < 0.2 else f"{a} {joiner} {b}" if shape < 0.6 else f"{a} {b} {joiner} {c}"
    name = names.pick() if rng.random() < 0.5 else c
    if shape < 0.25:
        return _titled(f"{article} {a} {name}")
    if shape < 0.7:
        return _titled(f"{article} {a} {joiner} {name}")
    return _titled(f"{a} {b} {name}")


def _votes(rng: random.Random) -> int:
    """A power law: half the titles under ~20 votes, one in a thousand over ~100,000."""
    return int(5 * (rng.random() + 1e-9) ** -1.6) if rng.random() < 0.97 else rng.randint(0, 4)


def titles(count: int = TITLES, seed: int = SEED) -> Iterator[Title]:
    rng = random.Random(seed)  # noqa: S311 - a fixed seed: the same catalog every run
    words = Words(rng, ENGLISH, invented=40_000)
    for i in range(1, count + 1):
        english = _english(rng, words)
        language: str | None = None
        original = english
        if i % FOREIGN_SHARE == 0:
            language, vocabulary, joiner, article = FOREIGN[(i // FOREIGN_SHARE) % len(FOREIGN)]
            original = _foreign(rng, vocabulary, joiner, article, words)
        votes = min(_votes(rng), 2_500_000)
        known = i % TMDB_SHARE == 0 or votes > 50_000
        yield Title(
            media_type="show" if i % 4 == 0 else "movie", imdb_id=f"tt{i:08d}", tmdb_id=TMDB_IDS + i if known else None,
            title=english, original_title=original, year=1920 + (i * 37) % 106,
            popularity=round(votes ** 0.5 / 10, 3) if known else None,
            vote_average=round(1 + (i * 7) % 90 / 10, 1) if votes else None, vote_count=votes,
            original_language=(language or "en") if known else None)
