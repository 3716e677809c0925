// The time axis of a plot (seconds since epoch), kept apart from chart.js (which needs a canvas)
// so it is tested in node.

/** Half the span shown around a single instant: one point gets a ten-minute axis. */
export const SINGLE_POINT_HALF_SPAN_S = 5 * 60;

/**
 * The x range for data from min to max (seconds). uPlot's own range for min === max spans years
 * (it pads by orders of magnitude of the value); one point, or several at one instant, gets
 * five minutes either side instead. Otherwise the data's own range.
 */
export function timeRange(min, max) {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [min, max];
  if (min === max) return [min - SINGLE_POINT_HALF_SPAN_S, max + SINGLE_POINT_HALF_SPAN_S];
  return [min, max];
}
