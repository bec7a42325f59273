import { ApiError } from '@brickyard/client';
import { describe, expect, test } from 'vitest';
import { countersOf, mineOf, ratingWords, readCounters, retrySeconds, socialErrorWords } from './part-social';

describe('part social', () => {
  test('counters from a part page, with the mean from rate_sum when the page has no rate_mean', () => {
    expect(countersOf({ stars: 2, watches: 1, rates: 4, rate_sum: 14, weight: { value: 0.5 } })).toEqual({ stars: 2, watches: 1, rates: 4, rate_mean: 3.5, weight: 0.5 });
    expect(countersOf({ weight: { value: null } })).toEqual({ stars: 0, watches: 0, rates: 0, rate_mean: null, weight: null });
    expect(countersOf({ rates: 2, rate_sum: 9, rate_mean: 4.5, weight: { value: 1 } }).rate_mean).toBe(4.5);
  });

  test('a frame is taken only when every counter is a number', () => {
    const frame = { part_name: 'BBa_B0034', stars: 3, watches: 1, rates: 2, rate_mean: 4.5, weight: 0.7 };
    expect(readCounters(frame)).toEqual({ stars: 3, watches: 1, rates: 2, rate_mean: 4.5, weight: 0.7 });
    expect(readCounters({ ...frame, rate_mean: null, weight: null })).toMatchObject({ rate_mean: null, weight: null });
    expect(readCounters({ ...frame, stars: '3' })).toBeNull();
    expect(readCounters({ ...frame, rates: -1 })).toBeNull();
    expect(readCounters(null)).toBeNull();
  });

  test("the caller's own state", () => {
    expect(mineOf(undefined)).toEqual({ starred: false, watching: false, rating: null });
    expect(mineOf({ starred: true, watching: false, rating: 4 })).toEqual({ starred: true, watching: false, rating: 4 });
  });

  test('the mean in words', () => {
    expect(ratingWords({ stars: 0, watches: 0, rates: 0, rate_mean: null, weight: null })).toBe('Not rated yet');
    expect(ratingWords({ stars: 0, watches: 0, rates: 1, rate_mean: 4, weight: null })).toBe('4 from 1 rating');
    expect(ratingWords({ stars: 0, watches: 0, rates: 3, rate_mean: 4.333, weight: null })).toBe('4.3 from 3 ratings');
  });

  test('a 429 says when to retry, in words', () => {
    expect(retrySeconds('one rating every 60 s: try again in 42 s')).toBe(42);
    expect(retrySeconds('slow down')).toBeNull();
    expect(socialErrorWords(new ApiError(429, 'rate_limited', 'one rating every 60 s: try again in 1 s'))).toBe('You rated a moment ago: you can rate again in 1 second.');
    expect(socialErrorWords(new ApiError(429, 'rate_limited', 'one rating every 60 s: try again in 59 s'))).toContain('in 59 seconds');
    expect(socialErrorWords(new ApiError(429, 'rate_limited', 'one post every 15 s: try again in 9 s'), 'post')).toBe('You posted a moment ago: you can post again in 9 seconds.');
    expect(socialErrorWords(new ApiError(429, 'rate_limited', 'too many votes'), 'vote')).toBe('You voted a moment ago: try again shortly.');
    expect(socialErrorWords(new ApiError(401, 'unauthorized', 'no session'))).toContain('sign in again');
    expect(socialErrorWords(new ApiError(0, 'network', 'x'))).toContain('cannot be reached');
  });
});
