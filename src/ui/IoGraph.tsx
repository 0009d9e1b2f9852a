/**
 * IO graph (Wireshark's Statistics > I/O Graphs): packets, bad checksums and TCP retransmissions
 * per time bucket over the whole capture. Dragging the brush below the chart filters the packet
 * list to that time range (frame.time_relative).
 */
import { useEffect, useRef, useState, type JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Area, Brush, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { IoSeries } from '../../workers/api';
import { strings } from './i18n';
import { bridge, useApp } from './store';
import { drawnBuckets } from './ioBuckets';

export function IoGraph(): JSX.Element | null {
  const { lang, capture, listVersion, applyFilter } = useApp(
    useShallow((s) => ({ lang: s.lang, capture: s.capture, listVersion: s.listVersion, applyFilter: s.applyFilter })),
  );
  const S = strings(lang);
  const [series, setSeries] = useState<IoSeries | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    let live = true;
    void bridge.api.ioGraph(capture).then((s) => live && setSeries(s));
    return () => {
      live = false;
    };
  }, [capture, listVersion]);
  if (!series || series.packets.length === 0) return null;
  // At most MAX_DRAWN points (ioBuckets.ts): wider buckets for long captures.
  const { width: w, data } = drawnBuckets(series);
  const totalBad = series.bad.reduce((a, b) => a + b, 0);
  const totalRe = series.retrans.reduce((a, b) => a + b, 0);
  const G = S.io;
  return (
    <section className="panel io-graph" aria-label={G.title} data-testid="io-graph" data-buckets={data.length} data-width={w}>
      <div className="panel-head">
        <h2>{G.title}</h2>
        <span className="muted">{G.per(w)}</span>
      </div>
      <div className="chart" style={{ height: 200 }}>
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 200 }}>
          <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid stroke="var(--grid)" vertical={false} />
            <XAxis
              dataKey="t"
              stroke="var(--muted)"
              tick={{ fill: 'var(--muted)', fontSize: 11 }}
              tickFormatter={(v: number) => `${+v.toFixed(3)}s`}
              // About a dozen labels, chosen by count: Recharts' default ("preserveEnd") measures
              // every one of up to 1,024 labels in the DOM, a long task on the main thread.
              interval={Math.max(0, Math.ceil(data.length / 12) - 1)}
            />
            <YAxis stroke="var(--muted)" tick={{ fill: 'var(--muted)', fontSize: 11 }} width={44} allowDecimals={false} />
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(v) => `+${Number(v).toFixed(w < 1 ? 3 : 0)} s`}
              contentStyle={{ background: 'var(--panel)', border: '1px solid var(--grid)', color: 'var(--fg)' }}
            />
            <Area
              type="stepAfter"
              dataKey="packets"
              name={G.packets}
              stroke="var(--c-good)"
              fill="var(--c-good)"
              fillOpacity={0.25}
              isAnimationActive={false}
            />
            {totalBad > 0 && (
              <Line
                type="stepAfter"
                dataKey="bad"
                name={G.bad}
                stroke="var(--c-bad)"
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
            )}
            {totalRe > 0 && (
              <Line
                type="stepAfter"
                dataKey="retrans"
                name={G.retrans}
                stroke="var(--c-answer)"
                strokeDasharray="5 3"
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
            )}
            {data.length > 2 && (
              <Brush
                dataKey="t"
                height={22}
                stroke="var(--muted)"
                fill="var(--panel)"
                tickFormatter={(v: number) => `${+v.toFixed(3)}s`}
                onChange={(r) => {
                  // Filter once the brush stops moving.
                  if (timer.current) clearTimeout(timer.current);
                  const a = (r.startIndex ?? 0) * w;
                  const b = ((r.endIndex ?? data.length - 1) + 1) * w;
                  timer.current = setTimeout(() => {
                    const all = (r.startIndex ?? 0) === 0 && (r.endIndex ?? data.length - 1) === data.length - 1;
                    void applyFilter(all ? '' : `frame.time_relative >= ${a} && frame.time_relative < ${b}`);
                  }, 300);
                }}
              />
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <p className="legend muted">
        <span className="key k-packets">■ {G.packets}</span>
        {totalBad > 0 && <span className="key k-bad">━ {G.bad}</span>}
        {totalRe > 0 && <span className="key k-retrans">╍ {G.retrans}</span>}
        <span>{G.brush}</span>
      </p>
    </section>
  );
}
