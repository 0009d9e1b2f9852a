// @vitest-environment jsdom
/**
 * Store and components against the real worker API running in-process (the bridge is mocked:
 * jsdom has no Worker), so these tests exercise the same code paths as the app.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AnalysisApi } from '../../workers/api';
import { dnsQuery, ether, ipv4, udpDatagram } from '../../test/helpers/build';
import { writePcap } from '../core/capture/writer';
import { INCIDENT_BUDGET } from '../core/share/permalink';
import { CAPTURES } from '../../test/helpers/corpus';
import { flood } from '../../test/helpers/flood';
import { MAX_DRAWN_ATTEMPTS } from '../core/session/view';
import { strings } from './i18n';

const api = new AnalysisApi();
const cancel = vi.fn();
/** Like a Comlink remote: every call returns a promise. */
const remote = new Proxy(api, {
  get(target, prop) {
    const v = (target as unknown as Record<string | symbol, unknown>)[prop];
    return typeof v === 'function'
      ? (...a: unknown[]) => Promise.resolve((v as (...x: unknown[]) => unknown).apply(target, a))
      : v;
  },
});
vi.mock('./bridge', () => ({
  WorkerBridge: class {
    get api() {
      return remote;
    }
    analyze(...a: Parameters<AnalysisApi['analyze']>) {
      return api.analyze(...a);
    }
    cancel() {
      cancel();
    }
  },
}));

const { useApp } = await import('./store');
const { App } = await import('./App');

const bytes = (rel: string) => new Uint8Array(readFileSync(`${CAPTURES}/${rel}`));
const eth0 = () => ({
  kind: 'bytes' as const,
  name: 'tke-63s-sender-eth0.pcap',
  bytes: bytes('scenarios/tke-63s-sender-eth0.pcap'),
});

beforeEach(() => {
  useApp.setState({
    phase: 'idle',
    reports: null,
    error: null,
    notice: null,
    lang: 'en',
    theme: 'light',
    shared: null,
    frame: null,
  });
  const mql = { matches: false, addEventListener() {}, removeEventListener() {}, addListener() {}, removeListener() {} };
  Object.defineProperty(window, 'matchMedia', { value: () => mql, configurable: true });
});
afterEach(() => cleanup());

describe('store', () => {
  it('opens a capture, selects the primary finding and lists its packets', async () => {
    await useApp.getState().open([eth0()]);
    const s = useApp.getState();
    expect(s.phase).toBe('done');
    expect(s.reports!.en.diagnosis.cause).toBe('vxlan-checksum-drop');
    expect(s.reports!.zh.diagnosis.summary).toMatch(/校验和/);
    expect(s.reports!.en.findings[s.finding]!.kind).toBe('syn-retry');
    expect(s.rowCount).toBe(16);
    const rows = await api.rows(0, 0, 100);
    expect(rows.map((r) => r.worst).slice(0, 8)).toEqual(['bad', 'bad', 'bad', 'bad', 'bad', 'bad', 'zero', 'zero']);
  });

  it('filters, reports filter errors, and jumps to a frame', async () => {
    await useApp.getState().open([eth0()]);
    await useApp.getState().applyFilter('checksum.bad');
    expect(useApp.getState().rowCount).toBe(6);
    await useApp.getState().applyFilter('tcp.port==');
    expect(useApp.getState().filterResult!.ok).toBe(false);
    expect(useApp.getState().rowCount).toBe(6);
    await useApp.getState().selectFrame(0, 12);
    // Frame 12 is filtered out by checksum.bad: the filter is cleared to show it.
    expect(useApp.getState().filter).toBe('');
    expect(useApp.getState().frame).toBe(12);
    expect(useApp.getState().scrollTo).toBe(11);
  });

  it("keeps each capture's filter in the worker: switching captures and back shows what the worker holds", async () => {
    const flannel = { kind: 'bytes' as const, name: 'flannel1.pcap', bytes: bytes('scenarios/tke-63s-sender-flannel1.pcap') };
    await useApp.getState().open([eth0(), flannel]);
    await useApp.getState().selectFrame(1, 1);
    await useApp.getState().applyFilter('tcp.flags.syn==1 and tcp.flags.ack==0');
    expect(useApp.getState().rowCount).toBe(7);
    await useApp.getState().selectFrame(0, 1);
    await useApp.getState().selectFrame(1, 1);
    const s = useApp.getState();
    const worker = await api.view(1);
    expect(s.filter).toBe(worker.filter);
    expect(s.rowCount).toBe(worker.count);
    expect(s.filter).toBe('tcp.flags.syn==1 and tcp.flags.ack==0');
    expect(s.rowCount).toBe(7);
  });

  it('a frame hidden by the filter is shown at its own row, whatever the frame numbers', async () => {
    // A shared link keeps the sender's frame numbers (33..36 here): row != frame - 1.
    await useApp.getState().open([{ kind: 'bytes', name: 'gre.pcap', bytes: bytes('real/zeek__gre-sample.pcap') }]);
    const p = await api.share(false);
    if ('ok' in p) throw new Error(p.error.message);
    await useApp.getState().openLink(p.value);
    await useApp.getState().applyFilter('frame.number == 33');
    expect(useApp.getState().rowCount).toBe(1);
    await useApp.getState().selectFrame(0, 35);
    const s = useApp.getState();
    expect(s.frame).toBe(35);
    expect(s.rowCount).toBe(4);
    const rows = await api.rows(0, 0, 4);
    expect(rows[s.scrollTo!]!.n).toBe(35);
  });

  it('a shared "DNS refused" result carries the ICMP errors: the recipient gets the same diagnosis', async () => {
    await useApp.getState().open([{ kind: 'bytes', name: 'gre.pcap', bytes: bytes('real/zeek__gre-sample.pcap') }]);
    const sent = useApp.getState().reports!.en.diagnosis;
    expect(sent).toMatchObject({ cause: 'dns-unanswered', confidence: 'high' });
    const p = await api.share(false);
    if ('ok' in p) throw new Error(p.error.message);
    await useApp.getState().openLink(p.value);
    const got = useApp.getState().reports!.en.diagnosis;
    expect(got).toMatchObject({ cause: sent.cause, confidence: sent.confidence, evidence: sent.evidence });
    expect(got.summary).toBe(sent.summary);
  });

  it('turns unreadable input into an error state with what and where', async () => {
    await useApp.getState().open([{ kind: 'bytes', name: 'junk.pcap', bytes: new TextEncoder().encode('no capture here') }]);
    expect(useApp.getState().phase).toBe('error');
    expect(useApp.getState().error!.message).toMatch(/junk\.pcap: not a pcap or pcapng file \(magic 0x6e6f2063 at byte 0\)/);
  });

  it('cancel stops the job: the worker is terminated and a late result never lands', async () => {
    cancel.mockClear();
    const opening = useApp.getState().open([eth0()]);
    expect(useApp.getState().phase).toBe('loading');
    useApp.getState().cancel();
    expect(cancel).toHaveBeenCalledTimes(1);
    expect(useApp.getState()).toMatchObject({ phase: 'idle', notice: 'cancelled' });
    // The in-process "worker" cannot be killed here: it finishes, and its result must be ignored.
    await opening;
    expect(useApp.getState()).toMatchObject({ phase: 'idle', reports: null, notice: 'cancelled' });
    // ...and the next job runs normally.
    await useApp.getState().open([eth0()]);
    expect(useApp.getState().phase).toBe('done');
  });

  it("shares a result and reopens it from the link with the sender's frame numbers", async () => {
    await useApp.getState().open([eth0()]);
    const p = await api.share(false);
    if ('ok' in p) throw new Error(p.error.message);
    expect(p.packets.map((x) => x.frame)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await useApp.getState().openLink(p.value);
    const s = useApp.getState();
    expect(s.phase).toBe('done');
    expect(s.shared).toMatchObject({
      anonymised: false,
      truncated: false,
      claim: { cause: 'vxlan-checksum-drop', attempts: 7, outer: ['bad', 'bad', 'bad', 'bad', 'bad', 'bad', 'zero'] },
    });
    expect(s.reports!.en.diagnosis.evidence).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await api.packet(0, 8))!.layers.length).toBeGreaterThan(4);
    expect((await api.rows(0, 0, 10)).map((r) => r.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('cuts an oversized selection down to the evidence with a notice, never a broken link', async () => {
    // 400 unanswered DNS queries: far more evidence than one link should carry.
    const pkts = Array.from({ length: 400 }, (_, i) => ({
      ts: 1_700_000_000 + i * 5,
      data: ether(
        ipv4(udpDatagram(40000 + (i % 50), 53, dnsQuery(i, `host-${i % 50}.example.internal`)), {
          src: '10.0.0.5',
          dst: '10.96.0.10',
          proto: 17,
          id: i,
        }),
      ),
    }));
    await useApp.getState().open([{ kind: 'bytes', name: 'many.pcap', bytes: writePcap(pkts, 1) }]);
    expect(useApp.getState().reports!.en.diagnosis.cause).toBe('dns-unanswered');
    const p = await api.share(true);
    if ('ok' in p) throw new Error(p.error.message);
    expect(p.truncated).toBe(true);
    expect(p.omitted).toBeGreaterThan(0);
    expect(p.value.length + 64).toBeLessThanOrEqual(INCIDENT_BUDGET);
    await useApp.getState().openLink(p.value);
    expect(useApp.getState().phase).toBe('done');
    expect(useApp.getState().shared!.truncated).toBe(true);
  });

  it('rejects a garbage link with a clear error', async () => {
    await useApp.getState().openLink('!!!');
    expect(useApp.getState().phase).toBe('error');
    expect(useApp.getState().error!.message).toMatch(/base64url/);
  });
});

describe('components', () => {
  it('the landing page has the file input, the sample button and the drop zone', () => {
    render(<App />);
    expect(document.querySelector('input[type=file][data-testid="file-input"]')).not.toBeNull();
    expect(screen.getByTestId('sample').textContent).toMatch(/63-second sample/);
    expect(screen.getByTestId('dropzone')).toBeTruthy();
  });

  it('shows the diagnosis, remedies with copy buttons, the attempts table; switches language and theme', async () => {
    await useApp.getState().open([eth0()]);
    render(<App />);
    const diag = await screen.findByTestId('diagnosis');
    expect(diag.getAttribute('data-cause')).toBe('vxlan-checksum-drop');
    // A plain sentence heads the result; the cause code is a small tag beside the confidence.
    expect(within(diag).getByTestId('headline').textContent).toMatch(
      /SYNs to 172\.29\.2\.3:9153 are dropped by the receiving kernel for a bad VXLAN \(outer UDP\) checksum: connected only after 63\.1 s\./,
    );
    expect(within(diag).getByTestId('cause').textContent).toBe('vxlan-checksum-drop');
    expect(
      within(screen.getByTestId('confirm')).getAllByRole('button', { name: /Copy: nstat -az UdpInCsumErrors/ }),
    ).toHaveLength(1);
    // The remedies follow the timeline, collapsible.
    const fixes = await screen.findByTestId('remedies');
    expect(fixes.querySelector('details')?.open).toBe(true);
    expect(within(fixes).getAllByRole('button', { name: /Copy: ethtool -K flannel\.1 tx-checksum-ip-generic off/ })).toHaveLength(
      1,
    );
    expect(
      within(diag)
        .getAllByTestId('evidence-frame')
        .map((b) => b.textContent),
    ).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    // The timeline mounts in the second stage of the result view.
    await waitFor(() => expect(document.querySelector('table.attempts')).not.toBeNull());
    const table = document.querySelector('table.attempts')!;
    expect(table.querySelectorAll('tbody tr')).toHaveLength(7);
    expect(table.textContent).toMatch(/0xffff → 0xd553/);
    expect(screen.getByTestId('checksum-table').textContent).toMatch(/UDP/);
    await act(async () => fireEvent.click(screen.getByTestId('lang')));
    expect(screen.getByTestId('diagnosis').textContent).toMatch(/诊断/);
    await act(async () => fireEvent.click(screen.getByTestId('theme')));
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it("draws a flood's timeline from the cut view: the first attempts, the last, and how many were left out", async () => {
    await useApp.getState().open([{ kind: 'bytes', name: 'flood.pcap', bytes: flood(300) }]);
    const r = useApp.getState().reports!.en;
    const syn = r.findings.find((f) => f.kind === 'syn-retry')!;
    // The page received only the drawn attempts (session/view.ts).
    expect(syn.trimmed).toEqual({ attemptList: 300, answers: 300 });
    act(() => useApp.getState().selectFinding(r.findings.indexOf(syn)));
    render(<App />);
    await waitFor(() => expect(document.querySelector('table.attempts')).not.toBeNull());
    const table = document.querySelector('table.attempts')!;
    const numbers = [...table.querySelectorAll('tbody tr:not(.more) td:first-child')].map((td) => td.textContent);
    expect(numbers).toHaveLength(MAX_DRAWN_ATTEMPTS);
    expect(numbers.slice(0, 3)).toEqual(['1', '2', '3']);
    expect(numbers.slice(-2)).toEqual([String(MAX_DRAWN_ATTEMPTS - 1), '300']);
    expect(screen.getByTestId('more-attempts').textContent).toBe(strings('en').moreAttempts(300 - MAX_DRAWN_ATTEMPTS, 300));
    // The last row is the last attempt's own frame (3 packets a second: SYN, SYN-ACK, query).
    expect(table.querySelector('tbody tr:last-child td:nth-child(2)')!.textContent).toBe(String(3 * 299 + 1));
    const markers = document.querySelectorAll('[data-testid="syn-attempt"][data-kind="syn"]');
    expect(markers).toHaveLength(MAX_DRAWN_ATTEMPTS);
    expect(markers[markers.length - 1]!.getAttribute('aria-label')).toMatch(/^Attempt 300: \+299\.000 s/);
  });

  it('says how many attempts were left out, in both languages', () => {
    expect(strings('en').moreAttempts(1017, 1081)).toBe(
      '… 1,017 more attempts, not drawn (1,081 in all; the finding lists their frames)',
    );
    expect(strings('zh').moreAttempts(1017, 1081)).toBe('… 另有 1,017 次尝试未画出（共 1,081 次；帧号见对应发现）');
  });

  it('the error view says what and where, in both languages', async () => {
    await useApp.getState().open([{ kind: 'bytes', name: 'junk.pcap', bytes: new TextEncoder().encode('no capture here') }]);
    render(<App />);
    expect(screen.getByTestId('error').textContent).toMatch(/not a pcap or pcapng file/);
    await act(async () => fireEvent.click(screen.getByTestId('lang')));
    expect(screen.getByTestId('error').textContent).toMatch(
      /junk\.pcap：不是 pcap 或 pcapng 文件（第 0 字节处的魔数为 0x6e6f2063）/,
    );
  });
});
