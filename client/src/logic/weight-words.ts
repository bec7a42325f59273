import { formatCount } from './format';

/** A part as far as its weight's explanation needs it. */
export interface WeightedPart {
  status?: string;
  sample_status?: string;
  works?: string;
  uses?: number;
  compatible_standards?: number;
  rates?: number;
  rate_sum?: number;
  stars?: number;
  watches?: number;
  experiences?: number;
  review_count?: number;
  weight: { value: number | null; strategy: string | null; components: Record<string, number | null> | null };
}

export interface WeightLine {
  key: string;
  label: string;
  /** The signal, 0 to 1. */
  value: number;
  /** What it is made of, in words. */
  words: string;
}

const STRATEGIES: Readonly<Record<string, string>> = {
  classic: 'the score-weighted mean of the signals this part has (Biohub 2017’s formula)',
  bayesian: 'the score-weighted mean of the signals this part has, with its mean rating pulled toward the average of all parts until it has enough votes',
};

/** The strategy in words, for the sentence above the list. */
export function strategyWords(strategy: string | null): string {
  return (strategy && STRATEGIES[strategy]) || 'the mean of the signals this part has';
}

/**
 * Each component of a part's weight (GET /api/parts/:name, `weight.components`,
 * signals between 0 and 1; null for one the part does not have, which is left
 * out of its mean) as a line a biologist can read. Unknown components, added
 * by a later strategy, still show, with their name.
 */
export function weightLines(part: WeightedPart): WeightLine[] {
  const components = part.weight.components ?? {};
  const lines: WeightLine[] = [];
  for (const [key, value] of Object.entries(components)) {
    if (value === null || value === undefined || !Number.isFinite(value)) continue;
    const [label, words] = describe(key, value, part);
    lines.push({ key, label, value, words });
  }
  return lines.sort((a, b) => b.value - a.value);
}

function describe(key: string, value: number, part: WeightedPart): [string, string] {
  switch (key) {
    case 'status':
      return ['Status', `“${part.status || 'none'}” in the Registry`];
    case 'sample_status':
      return ['Sample', `“${part.sample_status || 'none'}” at the Registry’s repository`];
    case 'works':
      return ['Works', part.works && part.works !== 'None' ? `users report “${part.works}”` : 'no experience reported in the Registry'];
    case 'uses':
      return ['Uses', `used in ${formatCount(part.uses ?? 0)} other parts, on a log scale against the most used part`];
    case 'compatibility':
      return ['Assembly', `compatible with ${part.compatible_standards ?? Math.round(value * 6)} of 6 assembly standards`];
    case 'favorite':
      return ['Favourite', value > 0 ? 'a Registry favourite' : 'not a Registry favourite'];
    case 'has_barcode':
      return ['Barcode', value > 0 ? 'carries a barcode' : 'no barcode'];
    case 'review_total':
      return ['Review score', 'the Registry reviews’ total, against the best reviewed part'];
    case 'review_count':
      return ['Reviews', `${formatCount(part.review_count ?? 0)} Registry reviews, against the most reviewed part`];
    case 'rates':
      return ['Ratings', `${formatCount(part.rates ?? 0)} ratings here, against the most rated part`];
    case 'mean_rate':
      return ['Rating', part.rates ? `rated ${((part.rate_sum ?? 0) / part.rates).toFixed(1)} of 5 on average by ${formatCount(part.rates)}` : 'no ratings yet: counts as the average of all parts'];
    case 'stars':
      return ['Stars', `${formatCount(part.stars ?? 0)} stars, against the most starred part`];
    case 'watches':
      return ['Watchers', `${formatCount(part.watches ?? 0)} watchers, against the most watched part`];
    case 'experiences':
      return ['Experiences', `the share of ${formatCount(part.experiences ?? 0)} reported experiences that worked (a cautious estimate)`];
    default:
      return [key.replace(/_/g, ' '), 'a signal of the ranking'];
  }
}
