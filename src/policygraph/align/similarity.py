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
from scipy import sparse
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
    return dice_of(bigrams(a), bigrams(b))


def dice_of(x: set[str], y: set[str]) -> float:
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def alike(left: Sequence[set[str]], right: Sequence[set[str]], floor: float) -> Iterator[tuple[int, int, float]]:
    """Every (i, j, Dice) with ``dice_of(left[i], right[j]) >= floor``, found through a sparse product
    of the two sides' bigram sets instead of comparing every pair: only pairs sharing a bigram cost."""
    vocabulary = {gram: n for n, gram in enumerate(sorted(set().union(*left, *right)))}

    def matrix(sets: Sequence[set[str]]) -> sparse.csr_matrix:
        rows = [n for n, grams in enumerate(sets) for _ in grams]
        columns = [vocabulary[g] for grams in sets for g in grams]
        data = np.ones(len(rows), dtype=np.int32)
        return sparse.csr_matrix((data, (rows, columns)), shape=(len(sets), len(vocabulary)))

    a, b = matrix(left), matrix(right)
    common = (a @ b.T).tocoo()
    sizes_a = np.array([len(g) for g in left], dtype=np.int64)
    sizes_b = np.array([len(g) for g in right], dtype=np.int64)
    scores = 2 * common.data / (sizes_a[common.row] + sizes_b[common.col])
    keep = np.flatnonzero(scores >= floor)
    for k in keep.tolist():
        yield int(common.row[k]), int(common.col[k]), float(scores[k])


class Index:
    """TF-IDF character n-gram vectors of a list of texts, L2-normalised so a dot product is a cosine.

    Retrieval uses a pruned copy: n-grams found in only one text cannot match anything, and n-grams
    found in more than ``common_cap`` texts (加强, 推进, 建设 …) say little while costing most — the
    work of the sparse product grows with the square of each n-gram's frequency, so capping the
    frequency keeps retrieval linear in the corpus size. Scores are then computed on full vectors."""

    def __init__(self, texts: Sequence[str], common_cap: int = 1000) -> None:
        vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, dtype=np.float32)
        self.matrix = vectoriser.fit_transform([normalise(t) for t in texts]).tocsr()
        frequency = np.bincount(self.matrix.indices, minlength=self.matrix.shape[1])
        keep = np.flatnonzero((frequency > 1) & (frequency <= common_cap))
        self.pruned = self.matrix[:, keep].tocsr()

    def __len__(self) -> int:
        return self.matrix.shape[0]

    def cosines(self, left: np.ndarray, right: np.ndarray, chunk: int = 20_000) -> np.ndarray:
        """Exact cosines of the row pairs (left[k], right[k])."""
        out = np.empty(len(left), dtype=np.float32)
        for begin in range(0, len(left), chunk):
            a, b = self.matrix[left[begin : begin + chunk]], self.matrix[right[begin : begin + chunk]]
            out[begin : begin + chunk] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
        return out

    def neighbours(
        self, rows: np.ndarray | None = None, chunk: int = 512
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """For blocks of rows (all, or ``rows``), the other rows sharing a retrieval n-gram with each,
        and the partial cosine over those n-grams (a lower bound of the cosine): three parallel arrays
        (row, column, score), by row."""
        transposed = self.pruned.T.tocsr()
        wanted = np.arange(len(self)) if rows is None else rows
        for begin in range(0, len(wanted), chunk):
            these = wanted[begin : begin + chunk]
            block = (self.pruned[these] @ transposed).tocsr()
            yield np.repeat(these, np.diff(block.indptr)), block.indices, block.data


def best(columns: np.ndarray, scores: np.ndarray, k: int) -> list[int]:
    """The columns of the ``k`` highest scores, best first; of equal scores, the lowest column first.
    Only the scores at or above the k-th highest are sorted (a partition finds it)."""
    if not len(columns) or k <= 0:
        return []
    if len(columns) > k:
        pick = scores >= np.partition(scores, len(scores) - k)[len(scores) - k]
        columns, scores = columns[pick], scores[pick]
    return [int(c) for c in columns[np.lexsort((columns, -scores))[:k]]]
