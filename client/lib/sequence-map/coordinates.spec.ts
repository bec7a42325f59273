import { scaleLinear } from 'd3-scale';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { angleAtPoint, angleOf, arcAngles, pointAt, positionAtAngle, positionAtX, spanX } from './coordinates';

describe('linear coordinates', () => {
  const scale = scaleLinear().domain([0, 100]).range([0, 1000]); // 10 px a base

  test('base p spans [p − 1, p) of base space', () => {
    expect(spanX(scale, 1, 1)).toEqual([0, 10]);
    expect(spanX(scale, 11, 20)).toEqual([100, 200]);
    expect(positionAtX(scale, 0, 100)).toBe(1);
    expect(positionAtX(scale, 9.9, 100)).toBe(1);
    expect(positionAtX(scale, 10, 100)).toBe(2);
    expect(positionAtX(scale, -50, 100)).toBe(1);
    expect(positionAtX(scale, 5000, 100)).toBe(100);
  });

  test('a zoomed scale still finds the base under the pointer', () => {
    const zoomed = scaleLinear().domain([40, 50]).range([0, 1000]); // 100 px a base
    expect(positionAtX(zoomed, 0, 100)).toBe(41);
    expect(positionAtX(zoomed, 999, 100)).toBe(50);
  });

  test('x of a base, then the base at that x, is the base', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }), (length, p) => {
      const position = Math.min(p, length);
      const s = scaleLinear().domain([0, length]).range([20, 700]);
      const [left, right] = spanX(s, position, position);
      return positionAtX(s, (left + right) / 2, length) === position;
    }));
  });
});

describe('circular coordinates', () => {
  test('the origin is at the top, clockwise', () => {
    expect(angleOf(1, 100)).toBe(0);
    expect(angleOf(26, 100)).toBeCloseTo(Math.PI / 2);
    expect(positionAtAngle(Math.PI, 100)).toBe(51);
    expect(pointAt(0, 10).y).toBeCloseTo(-10);
    expect(pointAt(Math.PI / 2, 10).x).toBeCloseTo(10);
    expect(angleAtPoint(10, 0)).toBeCloseTo(Math.PI / 2);
    expect(angleAtPoint(0, 10)).toBeCloseTo(Math.PI);
    expect(angleAtPoint(-10, 0)).toBeCloseTo((3 * Math.PI) / 2);
  });

  test('angles past a full turn, or below zero, wrap around', () => {
    expect(positionAtAngle(2 * Math.PI, 100)).toBe(1);
    expect(positionAtAngle(-0.001, 100)).toBe(100);
    expect(positionAtAngle(4 * Math.PI + Math.PI, 100)).toBe(51);
  });

  test('a span across the origin ends past 2π', () => {
    expect(arcAngles(1, 100, 100)).toEqual({ startAngle: 0, endAngle: 2 * Math.PI });
    const across = arcAngles(91, 10, 100);
    expect(across.startAngle).toBeCloseTo(1.8 * Math.PI);
    expect(across.endAngle).toBeCloseTo(2.2 * Math.PI);
  });

  test('the angle of a base, then the base at that angle, is the base', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 20000 }), fc.integer({ min: 1, max: 20000 }), (length, p) => {
      const position = Math.min(p, length);
      const middle = (angleOf(position, length) + angleOf(position + 1, length)) / 2;
      return positionAtAngle(middle, length) === position;
    }));
  });
});
