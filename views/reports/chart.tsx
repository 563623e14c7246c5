import { formatMoney } from "../../src/money";
import type { Chart } from "../../src/reports/model";

/**
 * A bar chart drawn on the server as SVG: no chart library in the browser. Colours come from CSS
 * (currentColor and --accent), so it follows the page into dark mode and prints black on white. The
 * <title> and <desc> name it for screen readers; each bar carries its exact value as a tooltip.
 */
type Size = { W: number; H: number; LEFT: number; font: number; every: number; suffix: string };
/** Wide for a screen or paper; narrow for a phone, drawn at its own size so its text stays readable. */
const WIDE: Size = { W: 640, H: 260, LEFT: 84, font: 11, every: 1, suffix: "" };
const NARROW: Size = { W: 360, H: 240, LEFT: 70, font: 12, every: 3, suffix: "-narrow" };
const RIGHT = 10, TOP = 14, BOTTOM = 52;

/** A round step so that about four gridlines cover max: 1, 2, 2.5 or 5 times a power of ten. */
export function niceStep(max: number): number {
  if (max <= 0) return 1;
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 2.5, 5, 10].find((m) => m * p >= raw) ?? 10) * p;
}

export function formatValue(value: number, unit: Chart["unit"], currency: string): string {
  if (unit === "money") return formatMoney(Math.round(value), currency);
  if (unit === "minutes") return `${Math.round(value * 10) / 10} min`;
  return Math.round(value).toLocaleString("en");
}

export function BarChart({ chart, currency }: { chart: Chart; currency: string }) {
  return (
    <figure class="chart">
      <Svg chart={chart} currency={currency} size={WIDE} />
      <Svg chart={chart} currency={currency} size={NARROW} />
      <figcaption safe>{chart.title}</figcaption>
    </figure>
  );
}

function Svg({ chart, currency, size }: { chart: Chart; currency: string; size: Size }) {
  const { W, H, LEFT, font, every } = size;
  const max = Math.max(0, ...chart.bars.map((b) => b.value));
  // Counts step in whole units: a chart of 2 items sold has gridlines at 0, 1, 2, never 0.5.
  const step = chart.unit === "count" ? Math.max(1, niceStep(max)) : niceStep(max);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM;
  const slot = plotW / Math.max(1, chart.bars.length);
  const barW = Math.max(2, slot * 0.7);
  const y = (v: number) => TOP + plotH - (v / top) * plotH;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const longLabels = chart.bars.some((b) => b.label.length > 3);
  const id = `chart-${chart.key}${size.suffix}`;
  const labelEvery = chart.bars.length > 12 ? every : 1;
  return (
      <svg class={size.suffix ? "narrow" : "wide"} viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} preserveAspectRatio="xMidYMid meet">
        <title id={`${id}-title`} safe>{chart.title}</title>
        <desc id={`${id}-desc`} safe>{`${chart.description} ${chart.bars.filter((b) => b.value > 0).map((b) => `${b.label}: ${formatValue(b.value, chart.unit, currency)}`).join("; ")}`}</desc>
        {ticks.map((t) => (
          <g>
            <line class="grid" x1={String(LEFT)} x2={String(W - RIGHT)} y1={String(y(t))} y2={String(y(t))} />
            <text class="tick" x={String(LEFT - 6)} y={String(y(t) + 4)} text-anchor="end" font-size={String(font)} safe>{formatValue(t, chart.unit, currency)}</text>
          </g>
        ))}
        <line class="axis" x1={String(LEFT)} x2={String(LEFT)} y1={String(TOP)} y2={String(TOP + plotH)} />
        <line class="axis" x1={String(LEFT)} x2={String(W - RIGHT)} y1={String(TOP + plotH)} y2={String(TOP + plotH)} />
        {chart.bars.map((b, i) => {
          const x = LEFT + i * slot + (slot - barW) / 2;
          const room = size.suffix ? 8 : 12;
          const label = b.label.length > room ? `${b.label.slice(0, room - 1)}…` : b.label;
          return (
            <g>
              {b.value > 0 ? (
                <rect class="bar" x={x.toFixed(1)} y={y(b.value).toFixed(1)} width={barW.toFixed(1)} height={(TOP + plotH - y(b.value)).toFixed(1)}>
                  <title safe>{`${b.label}: ${formatValue(b.value, chart.unit, currency)}`}</title>
                </rect>
              ) : ""}
              {i % labelEvery === 0 ? <text class="tick" x={(x + barW / 2).toFixed(1)} y={String(TOP + plotH + 15)} text-anchor="middle" font-size={String(longLabels ? font - 1 : font)} safe>{label}</text> : ""}
            </g>
          );
        })}
        <text class="axis-title" x={String(LEFT + plotW / 2)} y={String(H - 8)} text-anchor="middle" font-size={String(font + 1)} safe>{chart.xLabel}</text>
        <text class="axis-title" transform={`translate(14 ${TOP + plotH / 2}) rotate(-90)`} text-anchor="middle" font-size={String(font + 1)} safe>{chart.yLabel}</text>
      </svg>
  );
}
