/**
 * Charts warmed up while the landing page idles. The first result's render paid one-off costs
 * on the main thread (Recharts' modules and code compiled on first use): on a 2-core machine a
 * 125 ms task and four more over 50 ms, against none over 55 ms for the next result. Rendering
 * the chart types the result uses once, off-screen and hidden from assistive technology, moves
 * that cost to idle time. Nothing stays: the root is unmounted and removed after two frames.
 * (No Brush: its handles are focusable, which nothing hidden may be, even for two frames.)
 */
import { createRoot } from 'react-dom/client';
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';

const POINTS = [0, 1, 3, 7, 15, 31, 63].map((x, i) => ({ x, y: 1, t: i, packets: i + 1, bad: i & 1, retrans: 0 }));

function Charts() {
  return (
    <>
      <ScatterChart width={600} height={170} margin={{ top: 18, right: 24, bottom: 28, left: 12 }}>
        <CartesianGrid vertical={false} />
        <XAxis type="number" dataKey="x" scale="sqrt" domain={[0, 70]} ticks={[0, 1, 3, 7, 15, 31, 63]} interval={0} />
        <YAxis type="number" dataKey="y" domain={[0.4, 1.6]} ticks={[1]} width={1} />
        <ReferenceLine x={3} strokeDasharray="2 4" label={{ value: '3s', position: 'top' }} />
        <Tooltip cursor={false} isAnimationActive={false} />
        <Scatter
          data={POINTS}
          isAnimationActive={false}
          shape={(p: { cx?: number; cy?: number }) => <circle cx={p.cx} cy={p.cy} r={4} />}
        />
      </ScatterChart>
      <ComposedChart width={600} height={200} data={POINTS}>
        <CartesianGrid vertical={false} />
        <XAxis dataKey="t" />
        <YAxis width={44} allowDecimals={false} />
        <Tooltip isAnimationActive={false} />
        <Area dataKey="packets" isAnimationActive={false} />
        <Line dataKey="bad" isAnimationActive={false} dot={false} />
        <Line dataKey="retrans" isAnimationActive={false} dot={false} />
      </ComposedChart>
    </>
  );
}

/** Render the result's chart types once, off-screen, then remove them. */
export function warmCharts(): void {
  const host = document.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  host.inert = true;
  host.style.cssText =
    'position:fixed;left:-10000px;top:0;width:600px;visibility:hidden;pointer-events:none;contain:strict;height:400px';
  document.body.appendChild(host);
  const root = createRoot(host);
  root.render(<Charts />);
  // Two frames: Recharts measures and re-renders once after its first commit.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      root.unmount();
      host.remove();
    }),
  );
}
