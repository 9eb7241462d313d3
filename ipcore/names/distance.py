"""Edit distance with a ceiling: the only string comparison the resolver needs."""

from __future__ import annotations


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance between ``a`` and ``b``, capped at ``limit + 1``.

    Counts insertions, deletions, substitutions and swaps of two neighbours (``Comapny``
    is one edit from ``Company``), the typing errors seen in applicant names. Callers only
    ask "within ``limit``?", so only the diagonal band of width ``limit`` is computed
    (a path leaving it costs more than ``limit``) and the computation stops as soon as a
    whole row exceeds the limit.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    over = limit + 1
    previous2: list[int] = []
    previous = [j if j <= limit else over for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        current = [over] * (len(b) + 1)
        if i <= limit:
            current[0] = i
        row_best = current[0]
        char_a = a[i - 1]
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            best = previous[j - 1] + (char_a != b[j - 1])
            if previous[j] + 1 < best:
                best = previous[j] + 1
            if current[j - 1] + 1 < best:
                best = current[j - 1] + 1
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, previous2[j - 2] + 1)
            current[j] = best if best < over else over
            row_best = min(row_best, current[j])
        if row_best > limit:
            return over
        previous2, previous = previous, current
    return previous[-1]
