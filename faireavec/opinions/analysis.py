"""The opinion map's mathematics: pure numpy and scipy, no Django.

From the votes of a conversation to opinion groups, what represents each group
and what (almost) everyone shares, following Pol.is's pipeline:

1. **Vote matrix** (`vote_matrix`): participants x statements, sparse. One sign
   convention everywhere in FaireAvec: **agree = +1, disagree = -1, pass = 0**
   (Pol.is's public exports use it too; its database stores agree as -1).
   A pass is a vote (it is stored, it counts as "seen"); a statement not shown
   to someone is missing. When a pair appears twice, the last one given wins.
2. **Projection** (`project`): PCA of the matrix with each missing vote replaced
   by the statement's mean vote, which once centred is the sparse matrix of
   (vote - mean) on the votes cast: the two leading right singular vectors come
   from ARPACK on that sparse matrix (fixed start vector), the sign of each is
   fixed (its largest loading positive). Each participant's coordinates are then
   scaled by sqrt(n_statements / n_votes) — Pol.is's sparsity correction, so that
   people who voted little are not crowded in the centre.
3. **Groups** (`cluster`): only participants with at least
   `min(MIN_VOTES, n_statements)` votes are clustered (Pol.is's in-conversation
   rule); the others keep a position but no group. k-means (k-means++ with a
   fixed seed, `N_INIT` starts, the lowest inertia wins) for k = 2…5, and the k
   with the highest silhouette is kept. Above `SILHOUETTE_SAMPLE` clustered
   participants the silhouette is computed on a fixed sample of that size
   (drawn with the same seed), as scikit-learn's `sample_size` does: the exact
   score is quadratic in the number of people. Groups are then numbered by
   decreasing size (ties: by the centre's coordinates), so the same votes give
   the same groups with the same numbers.
4. **Representative statements** (`repness`): Pol.is's repness — for each group
   and statement, the agree and disagree probabilities with a +1/+2 Laplace
   smoothing, their one-proportion z-test, the ratio to the rest of the people
   clustered and its two-proportion z-test; a statement represents the group
   when both tests pass at 90 % one-sided; ranked by repness x its test x
   probability x its test, the group's best agreed statement first, at most
   `PICK_MAX` per group.
5. **Consensus** (`consensus`): over everyone who voted, statements agreed (or
   disagreed) with by more than half with a significant one-proportion test,
   ranked by probability x test. **Group-aware consensus**: for each statement,
   the product over groups of each group's smoothed agree probability (and
   disagree): high only when every group agrees.

`analyse` runs the five steps; the same votes give an identical `Analysis`
(fixed seeds, every ordering by id): tested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, svds

AGREE = 1
DISAGREE = -1
PASS = 0
VOTE_VALUES = (AGREE, DISAGREE, PASS)

MIN_VOTES = 7
K_RANGE = (2, 5)
N_INIT = 3
MAX_ITER = 100
SILHOUETTE_SAMPLE = 2000
PICK_MAX = 5
Z_90 = 1.2815515655446004  # one-sided 90 % critical value of the normal law
SEED = 20140731  # any fixed number: the date of the French law on the ESS


@dataclass(frozen=True)
class VoteMatrix:
    """Participants x statements, in CSR form; rows and columns sorted by id.

    `values` holds +1 / -1 / 0 with every vote cast stored, passes included
    (explicit zeros: never call `eliminate_zeros` on it).
    """

    participant_ids: np.ndarray
    statement_ids: np.ndarray
    values: sparse.csr_matrix

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape

    @property
    def n_votes(self) -> int:
        return int(self.values.nnz)

    def votes_per_participant(self) -> np.ndarray:
        return np.diff(self.values.indptr)


def vote_matrix(
    participant_ids: Any,
    statement_ids: Any,
    values: Any,
    *,
    all_statement_ids: Any = None,
) -> VoteMatrix:
    """Build the matrix from three parallel sequences (one vote each).

    `all_statement_ids` adds statements nobody voted on yet (empty columns).
    Refuses (ValueError) a vote other than +1, -1, 0 or sequences of unequal length.
    """
    p = np.asarray(participant_ids, dtype=np.int64).ravel()
    s = np.asarray(statement_ids, dtype=np.int64).ravel()
    v = np.asarray(values, dtype=np.int64).ravel()
    if not (len(p) == len(s) == len(v)):
        raise ValueError("participant_ids, statement_ids and values differ in length")
    if len(v) and (v.min() < -1 or v.max() > 1):
        raise ValueError("a vote is +1 (agree), -1 (disagree) or 0 (pass)")
    # The last vote given for a pair wins: a stable sort keeps the given order
    # within a pair, and the last of each run is kept. Votes read in order
    # (participant, statement) skip the sort.
    if len(p) and (p.min() < 0 or s.min() < 0):
        raise ValueError("ids are positive integers")
    if len(p) > 1:
        sorted_already = bool(np.all((p[1:] > p[:-1]) | ((p[1:] == p[:-1]) & (s[1:] > s[:-1]))))
        if not sorted_already:
            if p.max() < 2**62 // (int(s.max()) + 1):
                order = np.argsort(p * (int(s.max()) + 1) + s, kind="stable")
            else:
                order = np.lexsort((s, p))
            p, s, v = p[order], s[order], v[order]
            last = np.ones(len(p), dtype=bool)
            last[:-1] = (p[1:] != p[:-1]) | (s[1:] != s[:-1])
            p, s, v = p[last], s[last], v[last]
    starts = np.ones(len(p), dtype=bool)
    starts[1:] = p[1:] != p[:-1]
    pids = p[starts]
    rows_start = np.flatnonzero(starts)
    extra = (
        np.zeros(0, dtype=np.int64)
        if all_statement_ids is None
        else np.asarray(all_statement_ids, dtype=np.int64).ravel()
    )
    both = np.concatenate([s, extra])
    if len(both) and both.max() - both.min() < 50_000_000:
        # Statement ids span a small range: presence table instead of a sort.
        low = both.min()
        present = np.zeros(int(both.max() - low) + 1, dtype=bool)
        present[both - low] = True
        sids = np.flatnonzero(present) + low
        position = np.cumsum(present) - 1
        cols = position[s - low]
    else:
        sids = np.unique(both)
        cols = np.searchsorted(sids, s)
    # Rows are sorted by participant then statement, so CSR is built directly
    # (no duplicate to sum, the explicit zeros of passes stay).
    indptr = np.append(rows_start, len(p)).astype(np.int64)
    matrix = sparse.csr_matrix(
        (v.astype(np.int8), cols.astype(np.int32), indptr), shape=(len(pids), len(sids))
    )
    return VoteMatrix(participant_ids=pids, statement_ids=sids, values=matrix)


@dataclass(frozen=True)
class Projection:
    coords: np.ndarray  # (n_participants, 2)
    components: np.ndarray  # (2, n_statements)
    means: np.ndarray  # (n_statements,)
    explained_variance: np.ndarray  # (2,)


def project(matrix: VoteMatrix, n_components: int = 2) -> Projection:
    """PCA with mean imputation and Pol.is's sparsity correction (module docstring, step 2)."""
    x = matrix.values
    n, d = x.shape
    counts = np.bincount(x.indices, minlength=d)
    sums = np.bincount(x.indices, weights=x.data, minlength=d)
    means = np.divide(sums, counts, out=np.zeros(d), where=counts > 0)
    centred = sparse.csr_matrix(
        (x.data.astype(np.float64) - means[x.indices], x.indices, x.indptr), shape=(n, d)
    )
    k = min(n_components, n - 1, d - 1) if min(n, d) > 1 else 0
    components = np.zeros((n_components, d))
    variance = np.zeros(n_components)
    if k >= 1 and centred.nnz:
        sing, vt = _top_singular(centred, k)
        order = np.argsort(-sing, kind="stable")
        sing, vt = sing[order], vt[order]
        for i in range(k):
            row = vt[i]
            if row[np.argmax(np.abs(row))] < 0:
                row = -row
            components[i] = row
            variance[i] = sing[i] ** 2 / max(n - 1, 1)
    coords = np.asarray(centred @ components.T)
    votes = np.maximum(np.diff(x.indptr), 1)
    coords *= np.sqrt(d / votes)[:, None]
    return Projection(
        coords=coords, components=components, means=means, explained_variance=variance
    )


def _top_singular(centred: sparse.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k largest singular values and right vectors: a dense SVD for small
    matrices, ARPACK (fixed start vector) for large ones, and the eigenvectors
    of the statements' covariance if ARPACK does not converge."""
    n, d = centred.shape
    if n * d <= 250_000:
        _, sing, vt = np.linalg.svd(centred.toarray(), full_matrices=False)
        return sing[:k], vt[:k]
    try:
        v0 = np.random.default_rng(SEED).standard_normal(min(n, d))
        _, sing, vt = svds(centred, k=k, v0=v0, solver="arpack", return_singular_vectors="vh")
        return sing, vt
    except (ArpackError, ArpackNoConvergence):
        cov = (centred.T @ centred).toarray()
        values, vectors = np.linalg.eigh(cov)
        top = np.argsort(-values, kind="stable")[:k]
        return np.sqrt(np.maximum(values[top], 0)), vectors[:, top].T


def _kmeans_plusplus(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    n = len(points)
    centres = np.empty((k, points.shape[1]))
    centres[0] = points[rng.integers(n)]
    closest = ((points - centres[0]) ** 2).sum(axis=1)
    for j in range(1, k):
        total = closest.sum()
        if total <= 0:
            centres[j] = points[rng.integers(n)]
        else:
            pick = min(int(np.searchsorted(np.cumsum(closest), rng.random() * total)), n - 1)
            centres[j] = points[pick]
        closest = np.minimum(closest, ((points - centres[j]) ** 2).sum(axis=1))
    return centres


def _lloyd(points: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Lloyd's iterations from the given centres until no point changes group."""
    centres = centres.copy()
    k = len(centres)
    labels = np.full(len(points), -1)
    for _ in range(MAX_ITER):
        new_labels = _nearest(points, centres)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        sizes = np.bincount(labels, minlength=k)
        for j in np.flatnonzero(sizes == 0):
            # An empty group takes the point farthest from its centre.
            far = int(((points - centres[labels]) ** 2).sum(axis=1).argmax())
            labels[far] = j
            sizes = np.bincount(labels, minlength=k)
        for axis in range(points.shape[1]):
            centres[:, axis] = np.bincount(labels, weights=points[:, axis], minlength=k) / sizes
    inertia = float(((points - centres[labels]) ** 2).sum())
    return labels, centres, inertia


def _sq_dist(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    return (points[:, None, 0] - centres[None, :, 0]) ** 2 + (
        points[:, None, 1] - centres[None, :, 1]
    ) ** 2


def _nearest(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    # Element-wise in 2-D, a few centres: no matrix product, so no BLAS threads
    # (which cost more than they give on matrices this thin, and much more on a
    # loaded machine).
    best = np.zeros(len(points), dtype=np.int64)
    best_d = None
    x, y = points[:, 0], points[:, 1]
    for j, (cx, cy) in enumerate(centres):
        d = (x - cx) ** 2 + (y - cy) ** 2
        if best_d is None:
            best_d = d
        else:
            closer = d < best_d
            best[closer] = j
            best_d = np.where(closer, d, best_d)
    return best


def kmeans(
    points: np.ndarray, k: int, *, seed: int = SEED, sample: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's k-means in 2-D; labels and centres.

    `N_INIT` k-means++ starts run on `sample` (indices into `points`; all of
    them when None), the start with the lowest inertia there is then iterated
    on every point: the same answer as full restarts on well-formed groups, at
    a fraction of the cost for tens of thousands of people.
    """
    rng = np.random.default_rng([seed, k])
    sub = points if sample is None else points[sample]
    best = None
    for _ in range(N_INIT):
        labels, centres, inertia = _lloyd(sub, _kmeans_plusplus(sub, k, rng))
        if best is None or inertia < best[2] - 1e-12:
            best = (labels, centres, inertia)
    if sample is None:
        return best[0], best[1]
    labels, centres, _ = _lloyd(points, best[1])
    return labels, centres


def silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette from a full distance matrix (0 for a point alone in its group)."""
    k = int(labels.max()) + 1
    # The distance matrix is symmetric: the sum of each point's distances to
    # group g is the column sum of g's rows (no matrix product, see `_nearest`).
    sums = np.zeros((len(labels), k))
    for g in range(k):
        members = labels == g
        if members.any():
            sums[:, g] = distances[members].sum(axis=0, dtype=np.float64)
    sizes = np.bincount(labels, minlength=k).astype(np.float64)
    own = sizes[labels]
    a = np.where(own > 1, sums[np.arange(len(labels)), labels] / np.maximum(own - 1, 1), 0.0)
    mean_to = sums / np.maximum(sizes, 1)
    mean_to[np.arange(len(labels)), labels] = np.inf
    mean_to[:, sizes == 0] = np.inf
    b = mean_to.min(axis=1)
    denom = np.maximum(a, b)
    s = np.where(
        (own > 1) & (denom > 0) & np.isfinite(b), (b - a) / np.where(denom > 0, denom, 1), 0.0
    )
    return float(s.mean())


@dataclass(frozen=True)
class Clustering:
    labels: np.ndarray  # group of each clustered point, 0..k-1
    centres: np.ndarray  # (k, 2)
    k: int
    silhouettes: dict[int, float]


def cluster(points: np.ndarray, *, seed: int = SEED) -> Clustering:
    """k-means for k in K_RANGE, the k with the best silhouette (step 3)."""
    n = len(points)
    if n > SILHOUETTE_SAMPLE:
        sample = np.sort(np.random.default_rng(seed).choice(n, SILHOUETTE_SAMPLE, replace=False))
    else:
        sample = np.arange(n)
    sp = points[sample]
    unique = len(np.unique(sp, axis=0)) if n else 0
    k_max = min(K_RANGE[1], unique, n // 2)
    if k_max < K_RANGE[0]:
        return Clustering(
            labels=np.zeros(n, dtype=np.int64),
            centres=points.mean(axis=0, keepdims=True) if n else np.zeros((0, 2)),
            k=1 if n else 0,
            silhouettes={},
        )
    sp32 = sp.astype(np.float32)
    # Pairwise distances of the sample, element-wise (exact zeros on the diagonal).
    distances = sp32[:, None, 0] - sp32[None, :, 0]
    np.square(distances, out=distances)
    dy = sp32[:, None, 1] - sp32[None, :, 1]
    np.square(dy, out=dy)
    distances += dy
    del dy
    np.sqrt(distances, out=distances)
    best = None
    scores: dict[int, float] = {}
    for k in range(K_RANGE[0], k_max + 1):
        labels, centres = kmeans(
            points, k, seed=seed, sample=sample if n > SILHOUETTE_SAMPLE else None
        )
        sample_labels = labels[sample]
        score = silhouette(distances, sample_labels) if len(np.unique(sample_labels)) > 1 else -1.0
        scores[k] = score
        if best is None or score > best[0] + 1e-12:
            best = (score, k, labels, centres)
    _, k, labels, centres = best
    # Stable numbering: by decreasing size, then by centre.
    sizes = np.bincount(labels, minlength=k)
    order = sorted(
        range(k),
        key=lambda j: (-sizes[j], round(float(centres[j, 0]), 9), round(float(centres[j, 1]), 9)),
    )
    rank = np.empty(k, dtype=np.int64)
    rank[order] = np.arange(k)
    return Clustering(labels=rank[labels], centres=centres[order], k=k, silhouettes=scores)


@dataclass(frozen=True)
class StatementStats:
    """Counts per group (rows) and statement (columns)."""

    n_agree: np.ndarray
    n_disagree: np.ndarray
    n_seen: np.ndarray


def group_counts(values: sparse.csr_matrix, labels: np.ndarray, k: int) -> StatementStats:
    """Agree, disagree and seen (passes included) counts of each group on each statement.

    One pass over the stored votes: each vote's (group, statement) cell is
    counted with `bincount`, with no product of sparse matrices.
    """
    n, d = values.shape
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(values.indptr))
    cell = labels.astype(np.int64)[rows] * d + values.indices
    data = values.data
    size = k * d

    def count(selected: np.ndarray | None) -> np.ndarray:
        cells = cell if selected is None else cell[selected]
        return np.bincount(cells, minlength=size).reshape(k, d).astype(np.int64)

    return StatementStats(
        n_agree=count(data == AGREE),
        n_disagree=count(data == DISAGREE),
        n_seen=count(None),
    )


def prop_test(successes: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Pol.is's one-proportion z-test (with +1 on both counts)."""
    s = successes + 1.0
    n = n + 1.0
    return 2.0 * np.sqrt(n) * (s / n - 0.5)


def two_prop_test(
    succ_in: np.ndarray, succ_out: np.ndarray, n_in: np.ndarray, n_out: np.ndarray
) -> np.ndarray:
    """Pol.is's two-proportion z-test (with +1 on every count)."""
    s1, s2, n1, n2 = succ_in + 1.0, succ_out + 1.0, n_in + 1.0, n_out + 1.0
    pi1, pi2 = s1 / n1, s2 / n2
    pi_hat = (s1 + s2) / (n1 + n2)
    denom = np.sqrt(pi_hat * (1 - pi_hat) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (pi1 - pi2) / denom
    return np.where((pi_hat >= 1) | (denom == 0), 0.0, z)


def probability(successes: np.ndarray, n: np.ndarray) -> np.ndarray:
    return (successes + 1.0) / (n + 2.0)


@dataclass(frozen=True)
class RepStatement:
    statement_id: int
    direction: str  # "agree" or "disagree"
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    best_agree: bool = False


def repness(
    stats: StatementStats, statement_ids: np.ndarray, *, pick_max: int = PICK_MAX
) -> list[list[RepStatement]]:
    """Representative statements of each group (module docstring, step 4)."""
    k = stats.n_seen.shape[0]
    total_a, total_d, total_n = stats.n_agree.sum(0), stats.n_disagree.sum(0), stats.n_seen.sum(0)
    out: list[list[RepStatement]] = []
    for g in range(k):
        na, nd, ns = stats.n_agree[g], stats.n_disagree[g], stats.n_seen[g]
        oa, od, on = total_a - na, total_d - nd, total_n - ns
        pa, pd = probability(na, ns), probability(nd, ns)
        pat, pdt = prop_test(na, ns), prop_test(nd, ns)
        ra, rd = pa / probability(oa, on), pd / probability(od, on)
        rat, rdt = two_prop_test(na, oa, ns, on), two_prop_test(nd, od, ns, on)

        agree_side = (na, pa, pat, ra, rat)
        disagree_side = (nd, pd, pdt, rd, rdt)

        def make(c: int, best_agree: bool = False, force_agree: bool = False) -> RepStatement:
            agree = force_agree or agree_side[4][c] > disagree_side[4][c]  # noqa: B023
            side = agree_side if agree else disagree_side  # noqa: B023
            return RepStatement(
                statement_id=int(statement_ids[c]),
                direction="agree" if agree else "disagree",
                n_success=int(side[0][c]),
                n_trials=int(ns[c]),  # noqa: B023
                p_success=float(side[1][c]),
                p_test=float(side[2][c]),
                repness=float(side[3][c]),
                repness_test=float(side[4][c]),
                best_agree=best_agree,
            )

        # The group's best agreed statement (Pol.is's "best-agree"), first.
        best = None
        for c in range(len(statement_ids)):
            if na[c] == 0 and nd[c] == 0:
                continue
            if best is None:
                if pat[c] > Z_90 or (ra[c] > 1.0 and pa[c] > 0.5):
                    best = c
            elif ra[best] > 1.0:
                if ra[c] * rat[c] * pa[c] * pat[c] > ra[best] * rat[best] * pa[best] * pat[best]:
                    best = c
            elif pa[c] * pat[c] > pa[best] * pat[best]:
                best = c
        significant = ((pat > Z_90) & (rat > Z_90)) | ((pdt > Z_90) & (rdt > Z_90))
        chosen = [make(int(c)) for c in np.flatnonzero(significant)]
        chosen.sort(
            key=lambda r: (-(r.repness * r.repness_test * r.p_success * r.p_test), r.statement_id)
        )
        if best is not None:
            head = [make(best, best_agree=True, force_agree=True)]
        elif not chosen:
            scores = np.maximum(rat, rdt)
            head = [make(int(np.argmax(scores)))] if len(statement_ids) and ns.sum() else []
        else:
            head = [chosen[0]]
            chosen = chosen[1:]
        selected = (
            head + [r for r in chosen if not head or r.statement_id != head[0].statement_id]
        )[:pick_max]
        # Agreed statements before disagreed ones, as Pol.is shows them.
        selected.sort(key=lambda r: r.direction != "agree")
        out.append(selected)
    return out


@dataclass(frozen=True)
class ConsensusStatement:
    statement_id: int
    direction: str
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


def consensus(
    values: sparse.csr_matrix, statement_ids: np.ndarray, *, pick_max: int = PICK_MAX
) -> dict[str, list[ConsensusStatement]]:
    """Statements most people agree (or disagree) with, over everyone who voted (step 5)."""
    stats = group_counts(values, np.zeros(values.shape[0], dtype=np.int64), 1)
    na, nd, ns = stats.n_agree[0], stats.n_disagree[0], stats.n_seen[0]
    result: dict[str, list[ConsensusStatement]] = {}
    for direction, succ in (("agree", na), ("disagree", nd)):
        p, z = probability(succ, ns), prop_test(succ, ns)
        candidates = np.flatnonzero((p > 0.5) & (z > Z_90))
        ranked = sorted(candidates, key=lambda c: (-(p[c] * z[c]), int(statement_ids[c])))[
            :pick_max
        ]
        result[direction] = [
            ConsensusStatement(
                int(statement_ids[c]), direction, int(succ[c]), int(ns[c]), float(p[c]), float(z[c])
            )
            for c in ranked
        ]
    return result


@dataclass(frozen=True)
class Analysis:
    """Everything the map, its text version and the report need."""

    participant_ids: np.ndarray
    statement_ids: np.ndarray
    coords: np.ndarray
    labels: np.ndarray  # group per participant, -1 when not clustered
    k: int
    silhouettes: dict[int, float]
    centres: np.ndarray
    group_sizes: list[int]
    repness: list[list[RepStatement]]
    consensus: dict[str, list[ConsensusStatement]]
    group_aware_consensus: dict[str, np.ndarray]  # "agree"/"disagree" → per statement
    group_stats: StatementStats | None
    min_votes: int
    n_votes: int
    extras: dict[str, Any] = field(default_factory=dict)

    def to_summary(self) -> dict[str, Any]:
        """JSON data (no arrays of participants): what is stored beside the positions."""
        gac_a = self.group_aware_consensus.get("agree", np.zeros(0))
        gac_d = self.group_aware_consensus.get("disagree", np.zeros(0))
        stats = self.group_stats
        return {
            "k": self.k,
            "silhouettes": {str(k): round(v, 6) for k, v in self.silhouettes.items()},
            "n_participants": len(self.participant_ids),
            "n_clustered": int((self.labels >= 0).sum()),
            "n_statements": len(self.statement_ids),
            "n_votes": self.n_votes,
            "min_votes": self.min_votes,
            "groups": [
                {
                    "id": g,
                    "size": self.group_sizes[g],
                    "centre": [float(self.centres[g, 0]), float(self.centres[g, 1])],
                    "repness": [r.__dict__ for r in self.repness[g]],
                }
                for g in range(len(self.group_sizes))
            ],
            "consensus": {d: [c.__dict__ for c in cs] for d, cs in self.consensus.items()},
            "statements": [
                {
                    "id": int(sid),
                    "gac_agree": float(gac_a[i]) if len(gac_a) else None,
                    "gac_disagree": float(gac_d[i]) if len(gac_d) else None,
                    "groups": (
                        [
                            [
                                int(stats.n_agree[g, i]),
                                int(stats.n_disagree[g, i]),
                                int(stats.n_seen[g, i]),
                            ]
                            for g in range(stats.n_seen.shape[0])
                        ]
                        if stats is not None
                        else []
                    ),
                }
                for i, sid in enumerate(self.statement_ids)
            ],
        }


def analyse(matrix: VoteMatrix, *, min_votes: int = MIN_VOTES, seed: int = SEED) -> Analysis:
    """The whole pipeline on a vote matrix (module docstring)."""
    n, d = matrix.shape
    proj = project(matrix)
    threshold = max(1, min(min_votes, d))
    in_conv = matrix.votes_per_participant() >= threshold
    idx = np.flatnonzero(in_conv)
    labels = np.full(n, -1, dtype=np.int64)
    clustering = cluster(proj.coords[idx], seed=seed)
    stats = None
    reps: list[list[RepStatement]] = []
    gac: dict[str, np.ndarray] = {"agree": np.zeros(d), "disagree": np.zeros(d)}
    sizes: list[int] = []
    if clustering.k >= 2:
        labels[idx] = clustering.labels
        stats = group_counts(matrix.values[idx], clustering.labels, clustering.k)
        reps = repness(stats, matrix.statement_ids)
        gac = {
            "agree": probability(stats.n_agree, stats.n_seen).prod(axis=0),
            "disagree": probability(stats.n_disagree, stats.n_seen).prod(axis=0),
        }
        sizes = [int(x) for x in np.bincount(clustering.labels, minlength=clustering.k)]
    return Analysis(
        participant_ids=matrix.participant_ids,
        statement_ids=matrix.statement_ids,
        coords=proj.coords,
        labels=labels,
        k=clustering.k if clustering.k >= 2 else 0,
        silhouettes=clustering.silhouettes,
        centres=clustering.centres if clustering.k >= 2 else np.zeros((0, 2)),
        group_sizes=sizes,
        repness=reps,
        consensus=consensus(matrix.values, matrix.statement_ids),
        group_aware_consensus=gac,
        group_stats=stats,
        min_votes=threshold,
        n_votes=matrix.n_votes,
    )


def planted_votes(
    *,
    n_participants: int,
    n_statements: int,
    density: float | None = None,
    n_votes: int | None = None,
    n_groups: int = 3,
    seed: int = 1,
    consensus_statements: int = 0,
    strength: float = 0.8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Votes with known opinion groups (for tests, the demo and the benchmark).

    Each group has, for each statement, a leaning: agree or disagree with
    probability `strength` (the rest split between the other answer and pass).
    The first `consensus_statements` statements are agreed with by every group.
    Returns (participant_ids, statement_ids, values, true_group per participant
    id 1..n). Every participant votes on a random subset of statements: `n_votes`
    in all, or `density` of the matrix.
    """
    rng = np.random.default_rng(seed)
    total = (
        n_votes if n_votes is not None else round(n_participants * n_statements * (density or 0.1))
    )
    group = rng.integers(n_groups, size=n_participants)
    leaning = rng.choice([AGREE, DISAGREE], size=(n_groups, n_statements))
    leaning[:, :consensus_statements] = AGREE
    # Draw the (participant, statement) pairs without repetition.
    flat = np.unique(rng.integers(0, n_participants * n_statements, size=int(total * 1.1) + 16))
    if len(flat) > total:
        flat = np.sort(rng.choice(flat, size=total, replace=False))
    p = flat // n_statements
    s = flat % n_statements
    lean = leaning[group[p], s]
    u = rng.random(len(p))
    other_share = (1 - strength) * 0.6
    values = np.where(u < strength, lean, np.where(u < strength + other_share, -lean, PASS))
    return p + 1, s + 1, values.astype(np.int64), group


def adjusted_rand_index(a: Any, b: Any) -> float:
    """Adjusted Rand index of two labellings of the same items (1 = same partition)."""
    a = np.asarray(a)
    b = np.asarray(b)
    if len(a) != len(b):
        raise ValueError("labellings of different lengths")
    n = len(a)
    if n < 2:
        return 1.0
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    table = sparse.coo_matrix((np.ones(n), (ai, bi))).toarray()

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) / 2).sum())

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / (n * (n - 1) / 2)
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)
