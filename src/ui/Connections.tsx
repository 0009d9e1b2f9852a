/**
 * The connections view: every TCP connection (numbered as tshark numbers tcp.stream) with its
 * handshake round trip, outcome, retransmissions, bytes each way and duration, and every DNS
 * lookup with its latency. Sortable; a row filters the packet list to its stream (or name).
 * Draws at most MAX_SHOWN rows of the current order (the rest are counted).
 */
import { useEffect, useMemo, useRef, useState, type JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ConnRow, ConversationTable, DnsRow } from '../../workers/api';
import { fmtInt, strings } from './i18n';
import { bridge, useApp } from './store';
import { useStages } from './stages';
import './stats.css';

const MAX_SHOWN = 100;
/**
 * Rows drawn in the first frame; the rest follow in the next. A hundred rows of eleven cells was
 * a 35-56 ms first layout at 1 GiB, on top of the IO graph's.
 */
const FIRST_SHOWN = 30;

type TcpKey = 'stream' | 'start' | 'duration' | 'rttMs' | 'outcome' | 'syns' | 'retrans' | 'bytesToServer' | 'bytesToClient';
type DnsKey = 'start' | 'name' | 'type' | 'queries' | 'latencyMs';

/** Sort rows by a key, nulls last, then by the first column. */
function sorted<T, K extends keyof T>(rows: T[], key: K, desc: boolean): T[] {
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (x < y ? -1 : 1) * (desc ? -1 : 1);
  });
}

const ms = (v: number | null) => (v === null ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(0));

export function Connections(): JSX.Element | null {
  const { lang, capture, listVersion, applyFilter, names } = useApp(
    useShallow((s) => ({
      lang: s.lang,
      capture: s.capture,
      listVersion: s.listVersion,
      applyFilter: s.applyFilter,
      names: s.names,
    })),
  );
  const S = strings(lang);
  const [table, setTable] = useState<ConversationTable | null>(null);
  const [tab, setTab] = useState<'tcp' | 'dns'>('tcp');
  /** The capture whose table the tab was chosen for (later refetches, after a filter, keep the user's tab). */
  const tabFor = useRef(-1);
  const [tcpSort, setTcpSort] = useState<{ key: TcpKey; desc: boolean }>({ key: 'stream', desc: false });
  const [dnsSort, setDnsSort] = useState<{ key: DnsKey; desc: boolean }>({ key: 'start', desc: false });
  useEffect(() => {
    let live = true;
    void bridge.api.connections(capture).then((t) => {
      if (!live) return;
      setTable(t);
      // A capture of DNS only opens on its lookups, not on an empty TCP table.
      if (tabFor.current !== capture) {
        tabFor.current = capture;
        setTab(t && t.tcp.length === 0 && t.dns.length > 0 ? 'dns' : 'tcp');
      }
    });
    return () => {
      live = false;
    };
  }, [capture, listVersion]);
  const tcp = useMemo(() => (table ? sorted(table.tcp, tcpSort.key, tcpSort.desc) : []), [table, tcpSort]);
  const dns = useMemo(() => (table ? sorted(table.dns, dnsSort.key, dnsSort.desc) : []), [table, dnsSort]);
  // New rows (another capture, the other tab) are drawn over two frames again.
  const content = useMemo(() => ({ table, tab }), [table, tab]);
  const shown = useStages(2, content) >= 2 ? MAX_SHOWN : FIRST_SHOWN;
  if (!table) return null;
  const head = <K extends string>(
    key: K,
    label: string,
    cur: { key: K; desc: boolean },
    set: (s: { key: K; desc: boolean }) => void,
    num = true,
  ) => (
    <th className={num ? 'num' : undefined} aria-sort={cur.key === key ? (cur.desc ? 'descending' : 'ascending') : 'none'}>
      <button className="sort" onClick={() => set({ key, desc: cur.key === key ? !cur.desc : num })}>
        {label}
        {cur.key === key ? (cur.desc ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
  const C = S.conn;
  return (
    <section className="panel connections" aria-label={C.title} data-testid="connections">
      <div className="panel-head">
        <h2>
          {C.title}
          {names.length > 1 && <span className="muted file-name"> · {names[capture]}</span>}
        </h2>
        <div role="tablist" className="tabs">
          <button role="tab" aria-selected={tab === 'tcp'} onClick={() => setTab('tcp')} data-testid="conn-tab-tcp">
            TCP <span className="count">{fmtInt(table.tcp.length + table.tcpNotListed)}</span>
          </button>
          <button role="tab" aria-selected={tab === 'dns'} onClick={() => setTab('dns')} data-testid="conn-tab-dns">
            DNS <span className="count">{fmtInt(table.dns.length + table.dnsNotListed)}</span>
          </button>
        </div>
      </div>
      <div className="table-scroll">
        {tab === 'tcp' ? (
          <table className="conn-table">
            <caption className="sr-only">{C.title}</caption>
            <thead>
              <tr>
                {head('stream', 'tcp.stream', tcpSort, setTcpSort)}
                <th>{C.client}</th>
                <th>{C.server}</th>
                {head('outcome', C.outcome, tcpSort, setTcpSort, false)}
                {head('rttMs', C.rtt, tcpSort, setTcpSort)}
                {head('syns', 'SYN', tcpSort, setTcpSort)}
                {head('retrans', C.retrans, tcpSort, setTcpSort)}
                {head('bytesToServer', C.toServer, tcpSort, setTcpSort)}
                {head('bytesToClient', C.toClient, tcpSort, setTcpSort)}
                {head('start', C.start, tcpSort, setTcpSort)}
                {head('duration', C.duration, tcpSort, setTcpSort)}
              </tr>
            </thead>
            <tbody>
              {tcp.slice(0, shown).map((r: ConnRow) => (
                <tr
                  key={r.stream}
                  data-testid="conn-row"
                  data-outcome={r.outcome}
                  className={`out-${r.outcome}`}
                  tabIndex={0}
                  onClick={() => void applyFilter(`tcp.stream == ${r.stream}`)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') void applyFilter(`tcp.stream == ${r.stream}`);
                  }}
                  title={C.filterTo(`tcp.stream == ${r.stream}`)}
                >
                  <td className="num">{r.stream}</td>
                  <td className="mono">{r.client}</td>
                  <td className="mono">{r.server}</td>
                  <td>
                    <span className={`outcome out-${r.outcome}`}>{C.outcomes[r.outcome]}</span>
                  </td>
                  <td className="num">{ms(r.rttMs)}</td>
                  <td className={`num${r.syns > 1 ? ' hot' : ''}`}>{r.syns}</td>
                  <td className={`num${r.retrans ? ' hot' : ''}`}>{fmtInt(r.retrans)}</td>
                  <td className="num">{fmtInt(r.bytesToServer)}</td>
                  <td className="num">{fmtInt(r.bytesToClient)}</td>
                  <td className="num">{r.start.toFixed(3)}</td>
                  <td className="num">{r.duration.toFixed(3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <table className="conn-table">
            <caption className="sr-only">DNS</caption>
            <thead>
              <tr>
                {head('name', C.name, dnsSort, setDnsSort, false)}
                {head('type', C.type, dnsSort, setDnsSort, false)}
                <th>{C.client}</th>
                <th>{C.server}</th>
                {head('queries', C.queries, dnsSort, setDnsSort)}
                {head('latencyMs', C.latency, dnsSort, setDnsSort)}
                {head('start', C.start, dnsSort, setDnsSort)}
              </tr>
            </thead>
            <tbody>
              {dns.slice(0, shown).map((r: DnsRow, i) => (
                <tr
                  key={i}
                  data-testid="dns-row"
                  data-answered={r.answered ? 'true' : 'false'}
                  tabIndex={0}
                  onClick={() => void applyFilter(`dns.qry.name == "${r.name.replace(/["\\]/g, '')}"`)}
                >
                  <td className="mono">{r.name}</td>
                  <td>{r.type}</td>
                  <td className="mono">{r.client}</td>
                  <td className="mono">{r.server}</td>
                  <td className={`num${r.queries > 1 ? ' hot' : ''}`}>{r.queries}</td>
                  <td className={`num${r.answered ? '' : ' hot'}`}>{r.answered ? ms(r.latencyMs) : C.noAnswer}</td>
                  <td className="num">{r.start.toFixed(3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {(tab === 'tcp' ? tcp.length : dns.length) > MAX_SHOWN && (
        <p className="muted">{C.more(MAX_SHOWN, tab === 'tcp' ? tcp.length : dns.length)}</p>
      )}
      {(tab === 'tcp' ? table.tcpNotListed : table.dnsNotListed) > 0 && (
        <p className="muted">{C.notKept(tab === 'tcp' ? table.tcpNotListed : table.dnsNotListed)}</p>
      )}
    </section>
  );
}
