// Piecewise-linear calibration through [x, y] points, extrapolated from the end segments (ESPHome calibrate_linear
// fits one least-squares line; a polyline through the given points keeps two-point use identical and lets an
// installer follow a non-linear sensor curve).
export function calibrateLinear(points: readonly (readonly [number, number])[], x: number): number {
  const pts = [...points].sort((a, b) => a[0] - b[0]);
  let i = 0;
  while (i < pts.length - 2 && x > pts[i + 1]![0]) i++;
  const [x0, y0] = pts[i]!;
  const [x1, y1] = pts[i + 1]!;
  if (x1 === x0) return y0;
  return y0 + ((x - x0) * (y1 - y0)) / (x1 - x0);
}
