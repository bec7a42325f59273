import { caseOf, CLASSIC_SCORES, inTable, SAMPLE_STATUS_VALUES, STATUS_VALUES, WORKS_VALUES } from './value-tables';

/**
 * A strategy is a set of signals, each an SQL expression over `p` (the part's
 * ranking inputs, RANKING_INPUTS, and its forum counters FORUM_COUNTERS, all
 * NULL when it has none) and `m` (cluster-wide maxima and means), valued 0..1
 * or NULL when absent, with a score. The weight is the score-weighted mean of
 * the present signals: Σ sᵢ·vᵢ / Σ sᵢ. `alwaysPresent` marks a signal that is
 * never NULL (its inputs are NOT NULL columns, or COALESCEd), so its score is
 * counted without evaluating it again; `presentWhen`, a cheaper condition that
 * is true exactly when the value is not NULL. (MariaDB evaluates an expression
 * again wherever it appears: over a million parts each evaluation of a signal
 * costs about 0.1–0.4 s.)
 */
export interface RankingStrategy {
  name: string;
  description: string;
  signals: Signal[];
}

export interface Signal {
  name: string;
  score: number;
  value: string;
  alwaysPresent?: boolean;
  presentWhen?: string;
}

/**
 * The columns of the parts table that ranking reads: the strategies' signals
 * use only these (through `p.`), so the snapshot may keep anything else
 * elsewhere. part_id keys the weights; part_name only finds the forum
 * counters. All but part_name are in the snapshot's covering index
 * `ranking_inputs` (RANKING_INPUTS_INDEX), which the weights query scans.
 */
export const RANKING_INPUTS = [
  'part_id', 'part_name', 'status', 'sample_status', 'works', 'uses', 'favorite', 'has_barcode', 'compatible_standards', 'review_total', 'review_count',
] as const;

/** The counters of `part_forum_stats` the signals read (as `p.<name>`). */
export const FORUM_COUNTERS = ['rates', 'rate_sum', 'stars', 'watches', 'experiences', 'good_experiences'] as const;

/**
 * The SELECT giving the signals their `p`: each part's ranking inputs beside
 * its forum counters from `forumTable` (keyed by part_id; NULL when it has none),
 * and `has_subpart` (whether it has specified subparts, from the snapshot's
 * `subparts` table beside `partsTable`). The query is merged into the weights
 * query, so `has_subpart`'s lookup runs only where a signal reads it.
 */
export function signalInputsQuery(partsTable: string, forumTable: string, where = ''): string {
  const subparts = subpartsTableOf(partsTable);
  const hasSubpart = subparts ? `EXISTS (SELECT 1 FROM ${subparts} s WHERE s.parent_id = p.part_id AND s.kind = 'specified')` : '0';
  return `SELECT ${RANKING_INPUTS.filter((c) => c !== 'part_name').map((c) => `p.${c}`).join(', ')}, ${FORUM_COUNTERS.map((c) => `f.${c}`).join(', ')},
      ${hasSubpart} AS has_subpart
    FROM ${partsTable} p LEFT JOIN ${forumTable} f ON f.part_id = p.part_id${where ? ` WHERE ${where}` : ''}`;
}

/**
 * The snapshot's subparts table beside its parts table (`db`.parts_filtered_new
 * → `db`.subparts_new); none for another table of parts (a copy, as tests
 * make), whose parts then count as having no subparts.
 */
function subpartsTableOf(partsTable: string): string | undefined {
  return partsTable.includes('parts_filtered') ? partsTable.replace('parts_filtered', 'subparts') : undefined;
}

// `1e0 *` makes MySQL divide in DOUBLE: integer division yields DECIMAL rounded to 4 places.
const over = (value: string, max: string) => `IF(${max} > 0, 1e0 * ${value} / ${max}, 0)`;

/** The Registry's status signals, the same in both strategies (Biohub's status_w, sample_status_w, works_w, ac_w). */
const statusSignals: Signal[] = [
  { name: 'status', score: CLASSIC_SCORES.status, value: caseOf('p.status', STATUS_VALUES), presentWhen: inTable('p.status', STATUS_VALUES) },
  {
    name: 'sample_status', score: CLASSIC_SCORES.sample_status, value: caseOf('p.sample_status', SAMPLE_STATUS_VALUES),
    presentWhen: inTable('p.sample_status', SAMPLE_STATUS_VALUES),
  },
  { name: 'works', score: CLASSIC_SCORES.works, value: caseOf('p.works', WORKS_VALUES), presentWhen: inTable('p.works', WORKS_VALUES) },
  // Share of the six assembly standards the part is compatible with (no offending site): Biohub's ac_w,
  // the share of green RFC boxes, here from our own scan of the sequence rather than the Registry's cached HTML.
  { name: 'compatibility', score: CLASSIC_SCORES.compatibility, value: '1e0 * p.compatible_standards / 6', alwaysPresent: true },
];

/** Our registry signals: flags as 0/1, uses on a log scale from 0, reviews linear in the maximum. */
const staticSignals: Signal[] = [
  { name: 'favorite', score: CLASSIC_SCORES.favorite, value: 'IF(p.favorite > 0, 1, 0)', alwaysPresent: true },
  { name: 'has_barcode', score: CLASSIC_SCORES.has_barcode, value: 'IF(p.has_barcode > 0, 1, 0)', alwaysPresent: true },
  ...statusSignals,
  { name: 'uses', score: CLASSIC_SCORES.uses, value: 'IF(m.max_uses > 0, LN(1 + GREATEST(p.uses, 0)) / LN(1 + m.max_uses), 0)', alwaysPresent: true },
  { name: 'review_total', score: CLASSIC_SCORES.review_total, value: over('p.review_total', 'm.max_review_total'), alwaysPresent: true },
  { name: 'review_count', score: CLASSIC_SCORES.review_count, value: over('p.review_count', 'm.max_review_count'), alwaysPresent: true },
];

/**
 * `LOG(gap, value − min + 1)` with gap = max − min + 1, as Biohub's preprocess.sql
 * computes uses_w and the review signals; NULL when every part has the same value
 * (MySQL's LOG of base 1 is NULL). LN/LN, because LOG warns on a bad base.
 */
const biohubLog = (column: string, name: string) =>
  `IF(m.max_${name} > m.min_${name}, LN(p.${column} - m.min_${name} + 1) / LN(m.max_${name} - m.min_${name} + 1), NULL)`;

/**
 * Biohub's uses_w, skipped (refreshweight.py) when NULL or when the part has
 * specified subparts and uses_w ≤ 0.1: a composite is not held back for being
 * used little directly.
 */
const classicUsesPresent = `m.max_uses > m.min_uses AND NOT (${biohubLog('uses', 'uses')} <= 0.1 AND p.has_subpart)`;

/** Biohub's registry signals (preprocess.sql, refreshweight.py), for parity. */
const classicStaticSignals: Signal[] = [
  // refreshweight.py uses favorite and has_barcode as they are (skipped when NULL; ours are NOT NULL).
  { name: 'favorite', score: CLASSIC_SCORES.favorite, value: 'p.favorite', alwaysPresent: true },
  { name: 'has_barcode', score: CLASSIC_SCORES.has_barcode, value: 'p.has_barcode', alwaysPresent: true },
  ...statusSignals,
  { name: 'uses', score: CLASSIC_SCORES.uses, value: `IF(${classicUsesPresent}, ${biohubLog('uses', 'uses')}, NULL)`, presentWhen: classicUsesPresent },
  // COALESCE(LOG(…), 0): always present.
  { name: 'review_total', score: CLASSIC_SCORES.review_total, value: `COALESCE(${biohubLog('review_total', 'review_total')}, 0)`, alwaysPresent: true },
  { name: 'review_count', score: CLASSIC_SCORES.review_count, value: `COALESCE(${biohubLog('review_count', 'review_count')}, 0)`, alwaysPresent: true },
];

const forumCounters: Signal[] = [
  { name: 'rates', score: CLASSIC_SCORES.rates, value: over('COALESCE(p.rates, 0)', 'm.max_rates'), alwaysPresent: true },
  { name: 'stars', score: CLASSIC_SCORES.stars, value: over('COALESCE(p.stars, 0)', 'm.max_stars'), alwaysPresent: true },
  { name: 'watches', score: CLASSIC_SCORES.watches, value: over('COALESCE(p.watches, 0)', 'm.max_watches'), alwaysPresent: true },
];

/**
 * Biohub's forum signals (refreshweight.py's `pass_if_zero`): a counter counts
 * only when it is not zero, so a part with no forum activity is weighed on the
 * registry's signals alone (scores adding up to 20, not 26).
 */
const classicForumCounters: Signal[] = (['rates', 'stars', 'watches'] as const).map((name) => ({
  name,
  score: CLASSIC_SCORES[name],
  value: `IF(COALESCE(p.${name}, 0) > 0, ${over(`p.${name}`, `m.max_${name}`)}, NULL)`,
  presentWhen: `COALESCE(p.${name}, 0) > 0`,
}));

/**
 * Biohub 2017's formula, for parity (refreshweight.py over preprocess.sql's
 * columns): uses and reviews on Biohub's log scale between the minimum and the
 * maximum, flags as they are, forum counters only when not zero, and the mean
 * rating as Biohub's decimal(2,1) column held it (rounded to one decimal), so a
 * part's mean rating counts only once it has one.
 */
export const classic: RankingStrategy = {
  name: 'classic',
  description:
    "Biohub's weight: score-weighted mean of the present signals. Its flaw: an unrated part has no mean-rating signal, so one low rating can sink a part below unrated ones.",
  signals: [
    ...classicStaticSignals,
    ...classicForumCounters,
    {
      // rate_sum / rates is exact (DECIMAL) in MySQL; ROUND(…, 1) rounds half away from zero, as Django's Decimal did.
      name: 'mean_rate', score: CLASSIC_SCORES.mean_rate, value: 'IF(COALESCE(p.rates, 0) > 0, ROUND(p.rate_sum / p.rates, 1) / 5, NULL)',
      presentWhen: 'COALESCE(p.rates, 0) > 0',
    },
  ],
};

/** Prior strength of the Bayesian mean rating: as if every part had this many ratings at the global mean. */
export const RATING_PRIOR_VOTES = 5;

/**
 * The default: the same signals, but the mean rating is shrunk toward the
 * global mean (a Bayesian average with RATING_PRIOR_VOTES prior votes), and is
 * present for every part (unrated parts sit at the global mean). One low rating
 * then moves a part a little, and many consistent ratings move it a lot.
 * Experiences (from the forum) count as the Wilson lower bound (95%) of the
 * share that report the part works, present once a part has any.
 */
export const bayesian: RankingStrategy = {
  name: 'bayesian',
  description:
    'Score-weighted mean of the signals, with the mean rating shrunk toward the global mean (Bayesian average, 5 prior votes) and experiences as the Wilson lower bound of the share that work.',
  signals: [
    ...staticSignals,
    ...forumCounters,
    {
      name: 'mean_rate',
      score: CLASSIC_SCORES.mean_rate,
      value: `1e0 * (${RATING_PRIOR_VOTES} * m.mean_rate + COALESCE(p.rate_sum, 0)) / (${RATING_PRIOR_VOTES} + COALESCE(p.rates, 0)) / 5`,
      alwaysPresent: true,
    },
    {
      name: 'experiences',
      score: 2,
      value: `IF(COALESCE(p.experiences, 0) > 0,
        ((1e0 * p.good_experiences / p.experiences) + 1.9208 / p.experiences
          - 1.96 * SQRT((1e0 * p.good_experiences / p.experiences) * (1 - 1e0 * p.good_experiences / p.experiences) / p.experiences + 0.9604 / (p.experiences * p.experiences)))
        / (1 + 3.8416 / p.experiences), NULL)`,
      presentWhen: 'COALESCE(p.experiences, 0) > 0',
    },
  ],
};

export const STRATEGIES: Record<string, RankingStrategy> = { classic, bayesian };
