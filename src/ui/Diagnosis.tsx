/** The diagnosis panel: cause, summary, confidence, evidence frames, what to confirm first and the remedies, with copy buttons. */
import { useShallow } from 'zustand/react/shallow';
import { useEffect, useState, type JSX } from 'react';
import type { Report } from '../core/report';
import { fmtInt, strings } from './i18n';
import { FrameChips } from './FrameChips';
import { bridge, useApp } from './store';
import { baseName, saveFile } from './download';

/** Render text where `backticked` parts are commands with a copy button. */
function Remedy({ text }: { text: string }): JSX.Element {
  const { lang } = useApp(useShallow((s) => ({ lang: s.lang })));
  const S = strings(lang);
  const [copied, setCopied] = useState<number | null>(null);
  const parts = text.split(/`([^`]+)`/);
  return (
    <li>
      {parts.map((p, i) =>
        i % 2 ? (
          <span key={i} className="cmd">
            <code>{p}</code>
            <button
              className="copy"
              aria-label={`${S.copy}: ${p}`}
              onClick={() => {
                void navigator.clipboard?.writeText(p).catch(() => undefined);
                setCopied(i);
                setTimeout(() => setCopied(null), 1500);
              }}
            >
              {copied === i ? S.copied : S.copy}
            </button>
          </span>
        ) : (
          <span key={i}>{p}</span>
        ),
      )}
    </li>
  );
}

/**
 * The severity the panel is drawn with: error for the checksum drop, warning for other causes,
 * unknown (no tick) when nothing could be seen at all (an empty capture, nothing decoded).
 */
function severityOf(report: Report): 'error' | 'warning' | 'ok' | 'unknown' {
  const c = report.diagnosis.cause;
  if (c === 'vxlan-checksum-drop') return 'error';
  if (c) return 'warning';
  if (report.findings.some((f) => f.severity === 'error')) return 'warning';
  return report.diagnosis.confidence === 'low' ? 'unknown' : 'ok';
}

/**
 * The top of the result: a one-sentence headline (the cause code as a small tag beside the
 * confidence) and the evidence behind it. What to check first sits beside it (`Confirm`) and the
 * remedies follow the timeline (`Remedies`), so that the picture stays on the first screen.
 */
export function Diagnosis({ report }: { report: Report }): JSX.Element {
  const { lang, selectFrame, shared } = useApp(
    useShallow((s) => ({ lang: s.lang, selectFrame: s.selectFrame, shared: s.shared })),
  );
  const S = strings(lang);
  // A shared healthy result has no packets: say what the sender found, not "the capture is empty".
  const claimOnly = !!shared && shared.packets === 0 && shared.claim.cause === null;
  const d = claimOnly ? { ...report.diagnosis, summary: S.sharedNothing, headline: S.noCause } : report.diagnosis;
  const severity = severityOf(report);
  const kind = report.findings[d.primaryFinding]?.kind ?? null;
  const headline = d.headline ?? d.summary;
  return (
    <section
      className={`panel diagnosis sev-${severity}`}
      data-testid="diagnosis"
      data-cause={d.cause ?? ''}
      aria-label={S.diagnosis}
    >
      <div className="panel-head">
        <h2>{S.diagnosis}</h2>
        <span className="head-tags">
          {d.cause && (
            <code className="tag" data-testid="cause" title={S.causeCode}>
              {d.cause}
            </code>
          )}
          <span className={`badge conf-${d.confidence}`} data-testid="confidence">
            {S.confidence}
            {S.colon}
            {S.confidenceLevels[d.confidence]}
          </span>
        </span>
      </div>
      <p className="headline" data-testid="headline">
        <span className="cause-icon" aria-hidden="true">
          {severity === 'ok' ? '✓' : severity === 'error' ? '✗' : severity === 'unknown' ? '?' : '!'}
        </span>
        <span>{headline}</span>
      </p>
      {d.summary !== headline && (
        <p className="summary" data-testid="summary">
          {d.summary}
        </p>
      )}
      {d.evidence.length > 0 && (
        <div className="evidence">
          <span className="label">
            {S.evidence}
            {S.colon.trim()}
          </span>{' '}
          <FrameChips
            frames={d.evidence.slice(0, 40)}
            label={S.evidence}
            testId="evidence-frame"
            onPick={(n) => void selectFrame(d.evidenceCapture, n, { kind })}
          />
          {d.evidence.length > 40 && <span className="muted"> +{fmtInt(d.evidence.length - 40, lang)}</span>}
          {report.captures.length > 1 && <span className="muted"> ({report.captures[d.evidenceCapture]?.file})</span>}
        </div>
      )}
      <ReportActions />
    </section>
  );
}

/**
 * The whole report for a ticket or a chat: copied as the command line's text, or saved as its
 * JSON (the report contract). Made by the worker from its full report (the page's copy has long
 * lists cut), in the page's language. Where there is no clipboard (a page served over plain http
 * from another machine) the text is saved as a file instead.
 */
function ReportActions(): JSX.Element {
  const { lang, names } = useApp(useShallow((s) => ({ lang: s.lang, names: s.names })));
  const S = strings(lang);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    if (!done) return;
    const t = setTimeout(() => setDone(null), 2500);
    return () => clearTimeout(t);
  }, [done]);
  const base = `${baseName(names[0], 'capture')}${names.length > 1 ? `-${baseName(names[1], 'capture')}` : ''}-report`;
  const copy = async () => {
    const r = await bridge.api.exportReport(lang);
    if (!r) return;
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(r.text);
      setDone(S.copied);
    } catch {
      saveFile(r.text, `${base}.txt`, 'text/plain;charset=utf-8');
      setDone(S.reportSaved);
    }
  };
  const json = async () => {
    const r = await bridge.api.exportReport(lang);
    if (!r) return;
    saveFile(r.json, `${base}.json`, 'application/json');
    setDone(S.jsonSaved);
  };
  return (
    <div className="report-actions">
      <button onClick={() => void copy()} title={S.reportHelp} data-testid="copy-report">
        {S.copyReport}
      </button>
      <button onClick={() => void json()} title={S.reportHelp} data-testid="download-json">
        {S.downloadJson}
      </button>
      <span role="status" className="muted" data-testid="report-status">
        {done}
      </span>
    </div>
  );
}

/** What to check before changing anything: beside the diagnosis on wide screens, under it on phones. */
export function Confirm({ report }: { report: Report }): JSX.Element | null {
  const lang = useApp((s) => s.lang);
  const S = strings(lang);
  const d = report.diagnosis;
  if (!d.confirm.length) return null;
  return (
    <section className={`panel confirm-panel sev-${severityOf(report)}`} aria-label={S.confirm}>
      <h2>{S.confirm}</h2>
      <ol className="remedies confirm" data-testid="confirm">
        {d.confirm.map((r, i) => (
          <Remedy key={i} text={r} />
        ))}
      </ol>
    </section>
  );
}

/** What to do and what this capture cannot tell: collapsible, below the timeline. */
export function Remedies({ report }: { report: Report }): JSX.Element | null {
  const lang = useApp((s) => s.lang);
  const S = strings(lang);
  const d = report.diagnosis;
  if (!d.remedies.length && !d.caveats.length) return null;
  return (
    <section className={`panel fixes sev-${severityOf(report)}`} data-testid="remedies" aria-label={S.remedies}>
      {d.remedies.length > 0 && (
        <details open>
          <summary>
            <h2>
              {S.remedies} <span className="count">{fmtInt(d.remedies.length, lang)}</span>
            </h2>
          </summary>
          <ol className="remedies">
            {d.remedies.map((r, i) => (
              <Remedy key={i} text={r} />
            ))}
          </ol>
        </details>
      )}
      {d.caveats.length > 0 && (
        <details open>
          <summary>
            <h2>
              {S.caveats} <span className="count">{fmtInt(d.caveats.length, lang)}</span>
            </h2>
          </summary>
          <ul className="caveats">
            {d.caveats.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
