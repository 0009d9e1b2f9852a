// @vitest-environment jsdom
/**
 * Store and components against the real worker API running in-process (the bridge is mocked:
 * jsdom has no Worker), so these tests exercise the same code paths as the app.
 */
import { act, cleanup, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AnalysisApi } from '../../workers/api';
import { dnsQuery, ether, ipv4, tcpSegment, udpDatagram } from '../../test/helpers/build';
import { writeCapture, writePcap } from '../core/capture/writer';
import { INCIDENT_BUDGET } from '../core/share/permalink';
import { CAPTURES, REPO } from '../../test/helpers/corpus';
import { flood, manyLadders } from '../../test/helpers/flood';
import { MAX_DRAWN_ATTEMPTS } from '../core/session/view';
import { strings } from './i18n';
import { FIRST_LISTED, listedFindings } from './Summary';

// Staged renders wait for frames (timers in jsdom): on a 2-core machine also running a CI job or a
// browser, the 1 s default was once too short for the connections table's second frame.
configure({ asyncUtilTimeout: 5000 });

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

/** Open a netns fault capture (test/captures/netns/faults) and render the app. */
async function openFault(name: string): Promise<void> {
  const b = new Uint8Array(readFileSync(`${REPO}/test/captures/netns/faults/${name}`));
  await useApp.getState().open([{ kind: 'bytes', name, bytes: b }]);
  render(<App />);
}

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
    expect((await screen.findByTestId('checksum-table')).textContent).toMatch(/UDP/);
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

  it("draws another finding of many once the worker has handed its attempts (the page got one finding's)", async () => {
    await useApp.getState().open([{ kind: 'bytes', name: 'ladders.pcap', bytes: manyLadders(12, 40) }]);
    const r = useApp.getState().reports!.en;
    const first = useApp.getState().finding;
    expect(r.findings[first]!.deferred).toBeUndefined();
    const other = r.findings.findIndex((f) => f.deferred && f.kind === 'syn-retry');
    expect(other).toBeGreaterThanOrEqual(0);
    render(<App />);
    await waitFor(() => expect(document.querySelectorAll('[data-testid="syn-attempt"][data-kind="syn"]')).toHaveLength(32));
    const picker = screen.getByRole('combobox', { name: 'Findings' });
    await act(async () => fireEvent.change(picker, { target: { value: String(other) } }));
    // Fetched from the worker, then drawn: its own 40 attempts (the first 31 and the last).
    await waitFor(() => expect(useApp.getState().reports!.en.findings[other]!.deferred).toBeUndefined());
    await waitFor(() => expect(screen.queryByTestId('timeline-loading')).toBeNull());
    const markers = document.querySelectorAll('[data-testid="syn-attempt"][data-kind="syn"]');
    expect(markers).toHaveLength(MAX_DRAWN_ATTEMPTS);
    expect(markers[markers.length - 1]!.getAttribute('aria-label')).toMatch(/^Attempt 40: /);
    expect(useApp.getState().reports!.zh.findings[other]!.deferred).toBeUndefined();
    expect(useApp.getState().reports!.en.findings[first]).toBe(r.findings[first]);
  });

  it('says it is loading a deferred finding, in both languages', () => {
    expect(strings('en').loadingAttempts).toMatch(/^Loading/);
    expect(strings('zh').loadingAttempts).toMatch(/载入/);
  });

  it('lists the first findings of a flood, the rest one click away, and always the current one', async () => {
    await useApp.getState().open([eth0()]);
    const base = useApp.getState().reports!;
    // 130 findings, as a 1 GiB flood gives (64 SYN retries, 64 DNS queries and two more).
    const many = (r: typeof base.en) => ({
      ...r,
      findings: Array.from({ length: 130 }, (_, i) => ({ ...r.findings[i % r.findings.length]!, title: `finding ${i}` })),
    });
    act(() => useApp.setState({ reports: { en: many(base.en), zh: many(base.zh) }, finding: 0 }));
    render(<App />);
    const panel = await screen.findByRole('region', { name: 'Findings' });
    const titles = () =>
      within(panel)
        .getAllByTestId('finding')
        .map((li) => li.textContent);
    expect(titles()).toHaveLength(FIRST_LISTED);
    const more = within(panel).getByTestId('more-findings');
    expect(more.textContent).toBe(`Show ${130 - FIRST_LISTED} more findings`);
    expect(more.getAttribute('aria-expanded')).toBe('false');
    // The finding the timeline shows is listed wherever it is.
    act(() => useApp.getState().selectFinding(100));
    expect(titles()).toHaveLength(FIRST_LISTED + 1);
    expect(titles().at(-1)).toMatch(/finding 100/);
    await act(async () => fireEvent.click(more));
    expect(titles()).toHaveLength(130);
    expect(more.textContent).toBe('Show fewer findings');
    expect(more.getAttribute('aria-expanded')).toBe('true');
    await act(async () => fireEvent.click(screen.getByTestId('lang')));
    expect(more.textContent).toBe('收起发现');
    await act(async () => fireEvent.click(more));
    expect(more.textContent).toBe(`再显示 ${130 - FIRST_LISTED} 条发现`);
    expect(listedFindings(5, FIRST_LISTED, 3)).toEqual([0, 1, 2, 3, 4]);
    expect(listedFindings(30, 20, -1)).toHaveLength(20);
  });

  it('draws a long connections table over two frames: the first rows, then the first hundred', async () => {
    // 150 connections, each one SYN answered by a SYN-ACK.
    const packets = [];
    for (let i = 0; i < 150; i++) {
      for (const [src, dst, sport, dport, flags] of [
        ['10.0.0.1', '10.0.0.2', 20000 + i, 80, 0x02],
        ['10.0.0.2', '10.0.0.1', 80, 20000 + i, 0x12],
      ] as const) {
        const data = ether(
          ipv4(tcpSegment({ sport, dport, seq: 1000 + i, ack: flags & 0x10 ? 1001 + i : 0, flags }), { src, dst, proto: 6 }),
        );
        packets.push({ ts: 1000 + i * 0.01, data, origLen: data.length, linkType: 1 });
      }
    }
    await useApp.getState().open([{ kind: 'bytes', name: 'many.pcap', bytes: writeCapture(packets).bytes }]);
    render(<App />);
    const conn = await screen.findByTestId('connections', undefined, { timeout: 5000 });
    const rows = () => within(conn).queryAllByTestId('conn-row').length;
    expect(rows()).toBe(30);
    await waitFor(() => expect(rows()).toBe(100));
    expect(conn.textContent).toMatch(/The first 100 of 150 in this order are shown\./);
    // Back from the other tab, the rows are new: drawn again in two frames.
    await act(async () => fireEvent.click(within(conn).getByTestId('conn-tab-dns')));
    await act(async () => fireEvent.click(within(conn).getByTestId('conn-tab-tcp')));
    expect(rows()).toBe(30);
    await waitFor(() => expect(rows()).toBe(100));
  });

  it('a capture of DNS only opens the connections view on its lookups; a filter keeps the tab chosen', async () => {
    await useApp.getState().open([{ kind: 'bytes', name: 'dns.pcap', bytes: bytes('scenarios/dns-vxlan-bad-outer.pcap') }]);
    render(<App />);
    const conn = await screen.findByTestId('connections', undefined, { timeout: 5000 });
    await waitFor(() => expect(within(conn).getByTestId('conn-tab-dns').getAttribute('aria-selected')).toBe('true'));
    expect(within(conn).getByTestId('conn-tab-tcp').getAttribute('aria-selected')).toBe('false');
    // The sample with TCP opens on TCP; choosing DNS and filtering does not switch back.
    cleanup();
    await useApp.getState().open([eth0()]);
    render(<App />);
    const c2 = await screen.findByTestId('connections', undefined, { timeout: 5000 });
    await waitFor(() => expect(within(c2).getByTestId('conn-tab-tcp').getAttribute('aria-selected')).toBe('true'));
    await act(async () => fireEvent.click(within(c2).getByTestId('conn-tab-dns')));
    await act(async () => useApp.getState().applyFilter('udp'));
    await act(async () => useApp.getState().applyFilter(''));
    expect(within(screen.getByTestId('connections')).getByTestId('conn-tab-dns').getAttribute('aria-selected')).toBe('true');
  });

  it("a DNS delay's two query lanes are 1 and 2 (A and B would read as record types), under a Query column", async () => {
    await openFault('dns-delay-client-flannel1.pcap');
    const story = await screen.findByTestId('story', undefined, { timeout: 5000 });
    expect(story.getAttribute('data-kind')).toBe('dns-retried');
    expect(story.querySelector('.lanes')!.textContent).toBe('1 = the delayed query · 2 = the parallel query');
    await waitFor(() => expect(story.querySelector('table.attempts')).not.toBeNull());
    expect([...story.querySelectorAll('table.attempts th')].map((t) => t.textContent).at(-1)).toBe('Query');
    const lanes = [...story.querySelectorAll('[data-testid="story-row"] td:last-child')].map((t) => t.textContent);
    expect(lanes).toEqual(['2', '1', '2', '1', '1']);
  });

  it("with two captures the timeline's picker names each finding's kind and capture (their titles are the same)", async () => {
    const flannel = {
      kind: 'bytes' as const,
      name: 'tke-63s-sender-flannel1.pcap',
      bytes: bytes('scenarios/tke-63s-sender-flannel1.pcap'),
    };
    await useApp.getState().open([eth0(), flannel]);
    render(<App />);
    const picker = await screen.findByRole('combobox', { name: 'Findings' }, { timeout: 5000 });
    const options = [...picker.querySelectorAll('option')].map((o) => o.textContent);
    expect(new Set(options).size).toBe(options.length);
    expect(options).toContain('SYN retries · tke-63s-sender-flannel1.pcap');
  });

  it('the IO graph of a capture shorter than three buckets has no brush, and no hint about its handles', async () => {
    await openFault('refused-rst-client-eth0.pcap');
    const plot = await screen.findByTestId('io-plot', undefined, { timeout: 5000 });
    const graph = plot.closest('section')!;
    expect(screen.queryByTestId('brush')).toBeNull();
    expect(graph.textContent).not.toMatch(/Drag the handles/);
    cleanup();
    await useApp.getState().open([eth0()]);
    render(<App />);
    const plot2 = await screen.findByTestId('io-plot', undefined, { timeout: 5000 });
    expect(screen.getByTestId('brush')).toBeTruthy();
    expect(plot2.closest('section')!.textContent).toMatch(/Drag the handles/);
  });

  it("a story's legend says what its marks are: the MTU black hole's original send and its retransmissions", async () => {
    await openFault('mtu-blackhole-server-eth0.pcap');
    const story = await screen.findByTestId('story', undefined, { timeout: 5000 });
    expect(story.getAttribute('data-kind')).toBe('mtu-blackhole');
    expect(within(story).getByTestId('story-legend').textContent).toBe(' sent retransmission');
  });

  it('says how many attempts were left out, in both languages', () => {
    expect(strings('en').moreAttempts(1017, 1081)).toBe(
      '… 1,017 more attempts, not drawn (1,081 in all; the finding lists their frames)',
    );
    expect(strings('zh').moreAttempts(1017, 1081)).toBe('… 另有 1,017 次尝试未画出（共 1,081 次；帧号见对应发现）');
  });

  it('a capture with nothing decoded gets no tick: a neutral panel saying nothing could be analysed', async () => {
    const data = ether(ipv4(udpDatagram(5353, 53, dnsQuery(1, 'a.example')), { src: '10.0.0.1', dst: '10.0.0.2', proto: 17 }));
    const bytes = writePcap([{ ts: 1, data, origLen: data.length }], 105);
    await useApp.getState().open([{ kind: 'bytes', name: 'wifi.pcap', bytes }]);
    render(<App />);
    const diag = await screen.findByTestId('diagnosis');
    expect(diag.className).toContain('sev-unknown');
    expect(within(diag).getByTestId('headline').textContent).toMatch(
      /^\?Nothing could be analysed: the one packet is of a link type pcap-doctor does not decode \(link type 105\)/,
    );
    expect(within(diag).getByTestId('confidence').textContent).toMatch(/low/);
  });

  it('the error view says what and where, in both languages', async () => {
    await useApp.getState().open([{ kind: 'bytes', name: 'junk.pcap', bytes: new TextEncoder().encode('no capture here') }]);
    render(<App />);
    expect(screen.getByTestId('error').textContent).toMatch(/not a pcap or pcapng file/);
    // What to do about it, not a bare "byte 0" (the message already says where).
    expect(screen.getByTestId('error-hint').textContent).toMatch(/^Check the file with capinfos or tcpdump -r\./);
    expect(screen.getByTestId('error').textContent).not.toMatch(/^.*byte 0$/m);
    await act(async () => fireEvent.click(screen.getByTestId('lang')));
    expect(screen.getByTestId('error-hint').textContent).toMatch(/^可用 capinfos 或 tcpdump -r 检查该文件/);
    expect(screen.getByTestId('error').textContent).toMatch(
      /junk\.pcap：不是 pcap 或 pcapng 文件（第 0 字节处的魔数为 0x6e6f2063）/,
    );
  });
});
