import { ApiError } from '@brickyard/client';

/** A part's social counters as PUT|DELETE /api/parts/:name/{rating,star,watch} answer them and frame parts.social pushes them. */
export interface SocialCounters {
  stars: number;
  watches: number;
  rates: number;
  /** null when unrated. */
  rate_mean: number | null;
  /** null before the first ranking. */
  weight: number | null;
}

/** What the signed-in caller did to the part. */
export interface MySocial {
  starred: boolean;
  watching: boolean;
  rating: number | null;
}

export const NOBODY: MySocial = { starred: false, watching: false, rating: null };

/** The counters of a part page's answer (rate_mean from rates and rate_sum when the page has no rate_mean). */
export function countersOf(part: { stars?: number; watches?: number; rates?: number; rate_sum?: number; rate_mean?: number | null; weight: { value: number | null } }): SocialCounters {
  const rates = part.rates ?? 0;
  const mean = part.rate_mean !== undefined ? part.rate_mean : rates > 0 && part.rate_sum !== undefined ? part.rate_sum / rates : null;
  return { stars: part.stars ?? 0, watches: part.watches ?? 0, rates, rate_mean: mean, weight: part.weight.value };
}

/** The caller's own state from a page's `me` (absent for a signed-out visitor). */
export function mineOf(me: Record<string, unknown> | undefined): MySocial {
  if (!me) return NOBODY;
  return { starred: me.starred === true, watching: me.watching === true, rating: typeof me.rating === 'number' ? me.rating : null };
}

/** Takes the counters out of a frame or an answer, ignoring anything that is not a complete set of numbers. */
export function readCounters(value: unknown): SocialCounters | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const count = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  const maybe = (x: unknown) => x === null || (typeof x === 'number' && Number.isFinite(x));
  if (!count(v.stars) || !count(v.watches) || !count(v.rates) || !maybe(v.rate_mean) || !maybe(v.weight)) return null;
  return { stars: v.stars as number, watches: v.watches as number, rates: v.rates as number, rate_mean: v.rate_mean as number | null, weight: v.weight as number | null };
}

/** "4.3 from 7 ratings", "4 from 1 rating", "Not rated yet". */
export function ratingWords(counters: SocialCounters): string {
  if (!counters.rates || counters.rate_mean === null) return 'Not rated yet';
  const mean = Math.round(counters.rate_mean * 10) / 10;
  return `${mean} from ${counters.rates} rating${counters.rates === 1 ? '' : 's'}`;
}

/** Seconds to wait, from a 429's message ("one rating every 60 s: try again in 42 s"), or null. */
export function retrySeconds(message: string): number | null {
  const match = /\bin\s+(\d+)\s*(?:s\b|sec|second)/i.exec(message);
  return match ? Number(match[1]) : null;
}

/**
 * An error of a star, watch, rating or forum post, in words a biologist can act on.
 * `verb`: what a 429 refused ("rate", "post", "vote").
 */
export function socialErrorWords(error: unknown, verb = 'rate'): string {
  if (error instanceof ApiError) {
    if (error.status === 429) {
      const seconds = retrySeconds(error.message);
      const past = verb.endsWith('e') ? `${verb}d` : `${verb}ed`;
      return seconds === null ? `You ${past} a moment ago: try again shortly.` : `You ${past} a moment ago: you can ${verb} again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
    }
    if (error.status === 401) return 'Your session has ended: sign in again to rate, star or watch.';
    if (error.unreachable) return 'The server cannot be reached; your choice was not saved. Try again.';
    return error.message;
  }
  return 'Something went wrong; your choice was not saved. Try again.';
}
