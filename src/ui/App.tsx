/** The application shell: header, landing drop zone, progress, errors, and the result view. */
import { useShallow } from 'zustand/react/shallow';
import { useEffect, useRef, useState, type DragEvent, type JSX } from 'react';
import type { CaptureSource } from '../../workers/api';
import { Confirm, Diagnosis, Remedies } from './Diagnosis';
import { HowTo } from './HowTo';
import { fmtInt, strings } from './i18n';
import { Boundary } from './Boundary';
import { Connections } from './Connections';
import { IoGraph } from './IoGraph';
import { errorText } from '../core/errors';
import { CAPTURE_MESSAGES } from '../core/capture/messages';
import { PacketDetail, PacketList } from './Packets';
import { useApp, useReport } from './store';
import { ChecksumTable, Findings } from './Summary';
import { Timeline } from './Timeline';
import { useStages } from './stages';
import { SharedBanner, ShareDialog } from './Share';
import { fragmentValue } from '../core/share/permalink';

/** Bundled samples (copied from shared/captures/scenarios into public/samples). */
const SAMPLE_BASE = `${import.meta.env.BASE_URL}samples/`;
const SAMPLES = {
  eth0: { url: `${SAMPLE_BASE}tke-63s-sender-eth0.pcap`, name: 'tke-63s-sender-eth0.pcap' },
  flannel: { url: `${SAMPLE_BASE}tke-63s-sender-flannel1.pcap`, name: 'tke-63s-sender-flannel1.pcap' },
  dns: { url: `${SAMPLE_BASE}dns-vxlan-bad-outer.pcap`, name: 'dns-vxlan-bad-outer.pcap' },
};

function filesToSources(list: FileList | File[] | null | undefined): CaptureSource[] {
  return Array.from(list ?? []).map((file) => ({ kind: 'file', file }));
}

function Header(): JSX.Element {
  const { lang, theme, setLang, setTheme, phase, reset } = useApp(
    useShallow((s) => ({
      lang: s.lang,
      theme: s.theme,
      setLang: s.setLang,
      setTheme: s.setTheme,
      phase: s.phase,
      reset: s.reset,
    })),
  );
  const S = strings(lang);
  const [sharing, setSharing] = useState(false);
  return (
    <header className="top">
      <h1 className="brand-h">
        <button className="brand" onClick={reset} aria-label={`${S.title}: ${S.newFile}`} disabled={phase === 'idle'}>
          <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true">
            <rect x="1" y="1" width="30" height="30" rx="7" fill="var(--accent)" />
            <path
              d="M6 20h5l3-9 4 14 3-8h5"
              fill="none"
              stroke="#fff"
              strokeWidth="2.6"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          <span>{S.title}</span>
        </button>
      </h1>
      <span className="privacy muted">{S.privacy}</span>
      <div className="tools">
        {phase === 'done' && (
          <>
            <button className="primary" onClick={() => setSharing(true)} data-testid="share">
              {S.share}
            </button>
            <button onClick={reset} data-testid="new-file">
              {S.newFile}
            </button>
          </>
        )}
        <button onClick={() => setLang(lang === 'en' ? 'zh' : 'en')} data-testid="lang" lang={lang === 'en' ? 'zh-CN' : 'en'}>
          {S.language}
        </button>
        <button onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} data-testid="theme" title={S.theme}>
          <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span> {theme === 'dark' ? S.light : S.dark}
        </button>
      </div>
      {sharing && <ShareDialog onClose={() => setSharing(false)} />}
    </header>
  );
}

/** The file input is always in the DOM (testability contract), visually part of the drop zone. */
function FileInput(): JSX.Element {
  const open = useApp((s) => s.open);
  const lang = useApp((s) => s.lang);
  const S = strings(lang);
  const ref = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={ref}
        id="file-input"
        type="file"
        multiple
        data-testid="file-input"
        aria-label={S.choose}
        accept=".pcap,.pcapng,.cap,.gz,.pcap.gz,.pcapng.gz,application/vnd.tcpdump.pcap"
        className="sr-only"
        tabIndex={-1}
        onChange={(e) => {
          const s = filesToSources(e.target.files);
          e.target.value = '';
          if (s.length) void open(s);
        }}
      />
      {/* The visible control: a real button that opens the hidden input's picker. */}
      <button type="button" className="primary" onClick={() => ref.current?.click()} data-testid="choose">
        {S.choose}
      </button>
    </>
  );
}

function Landing(): JSX.Element {
  const { lang, open, openSamples, notice, error } = useApp(
    useShallow((s) => ({ lang: s.lang, open: s.open, openSamples: s.openSamples, notice: s.notice, error: s.error })),
  );
  const S = strings(lang);
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const s = filesToSources(e.dataTransfer.files);
    if (s.length) void open(s);
  };
  return (
    <main className="landing">
      <p className="tagline">{S.tagline}</p>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <svg width="64" height="64" viewBox="0 0 24 24" aria-hidden="true" className="drop-icon">
          <path
            d="M12 3v12m0 0l-4-4m4 4l4-4M4 17v3h16v-3"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.6"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
        <p className="drop-title">{S.drop}</p>
        <p className="muted">{S.dropHint}</p>
        <div className="actions">
          <FileInput />
          <button className="primary" onClick={() => void openSamples([SAMPLES.eth0])} data-testid="sample">
            {S.sample}
          </button>
        </div>
        <div className="actions secondary">
          <button onClick={() => void openSamples([SAMPLES.dns])} data-testid="sample-dns">
            {S.sampleDns}
          </button>
          <button onClick={() => void openSamples([SAMPLES.eth0, SAMPLES.flannel])} data-testid="sample-two">
            {S.sampleTwo}
          </button>
        </div>
      </div>
      {notice === 'cancelled' && (
        <p className="notice" role="status" data-testid="notice">
          {S.cancelled}
        </p>
      )}
      {error && <ErrorView />}
      <HowTo />
    </main>
  );
}

function ErrorView(): JSX.Element {
  const { lang, error } = useApp(useShallow((s) => ({ lang: s.lang, error: s.error })));
  const S = strings(lang);
  return (
    <div className="error" role="alert" data-testid="error">
      <h2>{S.errorTitle}</h2>
      <p>{error ? errorText(error, lang) : ''}</p>
      {/* The message says what and where; for a capture file, also what to do about it. */}
      {error && error.key in CAPTURE_MESSAGES && (
        <p className="muted" data-testid="error-hint">
          {S.errorHint}
        </p>
      )}
    </div>
  );
}

function ProgressView(): JSX.Element {
  const { lang, progress, cancel } = useApp(useShallow((s) => ({ lang: s.lang, progress: s.progress, cancel: s.cancel })));
  const S = strings(lang);
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(t);
  }, []);
  const p = progress;
  const pct = p && p.total ? Math.min(100, (100 * p.bytes) / p.total) : null;
  const secs = p ? Math.max(0.001, (now - p.startedAt) / 1000) : 1;
  return (
    <main className="loading">
      <div className="progress-card" data-testid="progress" aria-busy="true">
        <h2>
          {S.decoding} {p?.names[p.capture] ?? ''}
        </h2>
        <div className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined}>
          <div
            className={`fill${pct === null ? ' indeterminate' : ''}`}
            style={pct === null ? undefined : { transform: `scaleX(${pct / 100})` }}
          />
        </div>
        <p className="stats" aria-live="polite">
          {p
            ? `${(p.bytes / 1048576).toFixed(1)} MiB${p.total ? ` / ${(p.total / 1048576).toFixed(1)} MiB` : ''} · ${fmtInt(p.packets)} ${S.packets} · ${S.rate(p.bytes / 1e6 / secs)}`
            : ''}
        </p>
        <button onClick={cancel} data-testid="cancel" className="danger">
          {S.cancel}
        </button>
      </div>
    </main>
  );
}

/** More than two files were dropped: say which were left out (two capture points are compared). */
function IgnoredFiles(): JSX.Element | null {
  const { ignored, lang } = useApp(useShallow((s) => ({ ignored: s.ignored, lang: s.lang })));
  if (!ignored.length) return null;
  return (
    <p className="banner warn" role="status" data-testid="ignored-files">
      {strings(lang).ignoredFiles(ignored)}
    </p>
  );
}

/**
 * The result view's stages, one frame each. The first mounts the diagnosis together with the
 * timeline's chart, so that whoever sees [data-testid="diagnosis"] also finds every
 * [data-testid="syn-attempt"] in the same commit. Each later stage's commit, and the first
 * layout it brings, stays under 50 ms on a 1 GiB result (measured per frame with the Long
 * Animation Frames API: the timeline's table, the findings and the connections each took 35 to
 * 65 ms of style and layout when they shared a frame with another panel).
 */
const STAGES = { main: 1, table: 2, side: 3, io: 4, connections: 5, packets: 6 } as const;

/**
 * Results of this many packets or more skip laying out the rows below the fold until they are
 * scrolled near (`.results.big`, content-visibility: auto in styles.css). Below it the rows cost
 * little, and full-page screenshots and printing keep them (skipped rows stay blank in both).
 */
const BIG_RESULT = 100_000;

function Results(): JSX.Element | null {
  const report = useReport();
  const lang = useApp((s) => s.lang);
  const S = strings(lang);
  const stage = useStages(STAGES.packets);
  if (!report) return null;
  const big = report.captures.reduce((n, c) => n + c.packets, 0) >= BIG_RESULT;
  return (
    <main className={big ? 'results big' : 'results'}>
      <SharedBanner />
      <IgnoredFiles />
      {stage >= STAGES.main ? (
        <>
          <div className="col-main">
            <Boundary name={S.diagnosis} lang={lang} resetKey={report}>
              <Diagnosis report={report} />
            </Boundary>
            <Boundary name={S.timeline} lang={lang} resetKey={report}>
              <Timeline report={report} table={stage >= STAGES.table} />
            </Boundary>
            {stage >= STAGES.table && (
              <Boundary name={S.remedies} lang={lang} resetKey={report}>
                <Remedies report={report} />
              </Boundary>
            )}
          </div>
          <div className="col-side">
            <Boundary name={S.confirm} lang={lang} resetKey={report}>
              <Confirm report={report} />
            </Boundary>
            {stage >= STAGES.side && (
              <>
                <Boundary name={S.findings} lang={lang} resetKey={report}>
                  <Findings report={report} />
                </Boundary>
                <Boundary name={S.checksums} lang={lang} resetKey={report}>
                  <ChecksumTable report={report} />
                </Boundary>
              </>
            )}
          </div>
        </>
      ) : (
        <div className="col-main">
          <section className="panel placeholder" aria-busy="true" />
        </div>
      )}
      {stage >= STAGES.io && (
        <div className="col-wide stats">
          <Boundary name={S.io.title} lang={lang} resetKey={report}>
            <IoGraph />
          </Boundary>
          {stage >= STAGES.connections && (
            <Boundary name={S.conn.title} lang={lang} resetKey={report}>
              <Connections />
            </Boundary>
          )}
        </div>
      )}
      {stage >= STAGES.packets && (
        <div className="col-wide packets-area">
          <Boundary name={S.packetList} lang={lang} resetKey={report}>
            <PacketList />
          </Boundary>
          <Boundary name={S.detail} lang={lang} resetKey={report}>
            <PacketDetail />
          </Boundary>
        </div>
      )}
    </main>
  );
}

function UpdatePrompt(): JSX.Element | null {
  const { updateReady, lang } = useApp(useShallow((s) => ({ updateReady: s.updateReady, lang: s.lang })));
  const S = strings(lang);
  const [dismissed, setDismissed] = useState(false);
  if (!updateReady || dismissed) return null;
  return (
    <div className="banner update" role="status" data-testid="update-prompt">
      <span>{S.updateReady}</span>
      <button className="primary" onClick={updateReady}>
        {S.reload}
      </button>
      <button onClick={() => setDismissed(true)}>{S.later}</button>
    </div>
  );
}

/** Open a permalink found in the URL fragment, then clear the fragment. */
function consumeFragment(openLink: (v: string) => Promise<void>): void {
  const v = fragmentValue(location.hash);
  if (v === null) return;
  history.replaceState(null, '', location.pathname + location.search);
  void openLink(v);
}

export function App(): JSX.Element {
  const { phase, theme, lang, open, openLink } = useApp(
    useShallow((s) => ({ phase: s.phase, theme: s.theme, lang: s.lang, open: s.open, openLink: s.openLink })),
  );
  useEffect(() => {
    consumeFragment(openLink);
    const onHash = () => consumeFragment(openLink);
    window.addEventListener('hashchange', onHash);
    // Launched as an installed app on a file (file_handlers).
    const lq = (window as unknown as { launchQueue?: { setConsumer(cb: (p: { files?: FileSystemFileHandle[] }) => void): void } })
      .launchQueue;
    lq?.setConsumer(async (params) => {
      const files = await Promise.all((params.files ?? []).map((h) => h.getFile()));
      if (files.length) void open(files.map((file) => ({ kind: 'file', file })));
    });
    return () => window.removeEventListener('hashchange', onHash);
  }, [openLink, open]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [theme, lang]);
  // Paste a file anywhere, and drop anywhere once a result is shown.
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const s = filesToSources(e.clipboardData?.files);
      if (s.length) void open(s);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [open]);
  return (
    <div
      className="app"
      onDragOver={(e) => phase !== 'idle' && e.preventDefault()}
      onDrop={(e) => {
        if (phase === 'idle') return;
        e.preventDefault();
        const s = filesToSources(e.dataTransfer.files);
        if (s.length) void open(s);
      }}
    >
      <Header />
      <UpdatePrompt />
      {phase === 'loading' ? <ProgressView /> : phase === 'done' ? <Results /> : <Landing />}
      {(phase === 'done' || phase === 'loading') && <FileInputHidden />}
    </div>
  );
}

/** Keep the file input available after a result is shown (open another capture). */
function FileInputHidden(): JSX.Element {
  const open = useApp((s) => s.open);
  return (
    <input
      type="file"
      multiple
      data-testid="file-input"
      className="sr-only"
      aria-hidden="true"
      tabIndex={-1}
      onChange={(e) => {
        const s = filesToSources(e.target.files);
        e.target.value = '';
        if (s.length) void open(s);
      }}
    />
  );
}
