"""Text similarity shared by every alignment stage: one vectoriser, one nearest-neighbour search.

Chinese policy text has no spaces and reuses phrases verbatim when a district restates its city's
plan, so character 2- and 3-grams weighted by TF-IDF retrieve restatements without a dictionary;
scikit-learn does the weighting and sparse algebra (see the README for why it is a dependency).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

_NUMBERING = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.．、]|第[一二三四五六七八九十\d]+[章节条])\s*"
)
_ANNOTATION = re.compile(r"[（(][^（）()]{0,200}?(?:单位|部门|牵头|负责|落实|配合)[^（）()]{0,200}?[)）]")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFKC, no white space, no leading item number, no unit annotation: what two restatements share."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    return _ANNOTATION.sub("", _NUMBERING.sub("", text))


def bigrams(text: str) -> set[str]:
    text = normalise(text)
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def dice(a: str, b: str) -> float:
    """Dice coefficient of character bigrams: short headings that reword one another score high."""
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


class Index:
    """TF-IDF character n-gram vectors of a list of texts, L2-normalised so a dot product is a cosine."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, dtype=np.float32)
        self.matrix = self.vectoriser.fit_transform([normalise(t) for t in texts]).tocsr()

    def __len__(self) -> int:
        return self.matrix.shape[0]

    def cosine(self, i: int, j: int) -> float:
        return float(self.matrix[i].multiply(self.matrix[j]).sum())

    def rows(self, chunk: int = 256) -> Iterator[tuple[int, np.ndarray]]:
        """Each row's cosines against every row, computed a chunk of rows at a time so that memory
        stays at chunk by rows however large the corpus is."""
        transposed = self.matrix.T.tocsc()
        for begin in range(0, len(self), chunk):
            block = (self.matrix[begin : begin + chunk] @ transposed).toarray()
            for offset, row in enumerate(block):
                yield begin + offset, row


def best(row: np.ndarray, columns: np.ndarray, k: int, floor: float) -> list[tuple[int, float]]:
    """The ``k`` best of ``columns`` in ``row`` with a score of at least ``floor``, best first."""
    if not len(columns) or k <= 0:
        return []
    scores = row[columns]
    top = np.argpartition(-scores, k - 1)[:k] if k < len(columns) else np.arange(len(columns))
    top = top[scores[top] >= floor]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(int(columns[t]), float(scores[t])) for t in top]
