/**
 * Where a base is drawn. Positions are 1-based, as the Registry numbers them;
 * base p occupies the interval [p − 1, p) of "base space", so a linear scale
 * over [0, length] maps base edges to x, and a circle maps them to angles.
 */

/** A linear scale of base space to pixels, as d3-scale's scaleLinear (and a zoom's rescaleX) provide. */
export interface BaseScale {
  (value: number): number;
  invert(x: number): number;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** The base under an x (pointer) position, within 1…length. */
export function positionAtX(scale: BaseScale, x: number, length: number): number {
  return clamp(Math.floor(scale.invert(x)) + 1, 1, length);
}

/** The left and right x of the bases start…end (inclusive). */
export function spanX(scale: BaseScale, start: number, end: number): [number, number] {
  return [scale(start - 1), scale(end)];
}

const TAU = Math.PI * 2;

/** An angle in [0, 2π). */
export const normalizeAngle = (angle: number) => ((angle % TAU) + TAU) % TAU;

/** The angle of the start edge of base `position`: 0 at the top (the origin), clockwise, as plasmid maps are drawn. */
export function angleOf(position: number, length: number): number {
  return (TAU * (position - 1)) / length;
}

/** The base at an angle; angles past a full turn wrap around. */
export function positionAtAngle(angle: number, length: number): number {
  return clamp(Math.floor((normalizeAngle(angle) / TAU) * length) + 1, 1, length);
}

/**
 * Start and end angles of the bases start…end (inclusive), clockwise. A span
 * that runs across the origin (end < start) ends past 2π, so an arc
 * generator draws it the short way round, through the top.
 */
export function arcAngles(start: number, end: number, length: number): { startAngle: number; endAngle: number } {
  const startAngle = angleOf(start, length);
  let endAngle = angleOf(end + 1, length);
  if (end < start) endAngle += TAU;
  return { startAngle, endAngle };
}

/** The angle of a point (relative to the circle's centre, y down as in SVG): 0 at the top, clockwise. */
export function angleAtPoint(x: number, y: number): number {
  return normalizeAngle(Math.atan2(x, -y));
}

/** The point at an angle and radius, relative to the centre (y down). */
export function pointAt(angle: number, radius: number): { x: number; y: number } {
  return { x: Math.sin(angle) * radius, y: -Math.cos(angle) * radius };
}
