/** The diagnosis panel: cause, summary, confidence, evidence frames, what to confirm first and the remedies, with copy buttons. */
import { useShallow } from 'zustand/react/shallow';
import { useState, type JSX } from 'react';
import type { Report } from '../core/report';
import { strings } from './i18n';
import { useApp } from './store';

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

export function Diagnosis({ report }: { report: Report }): JSX.Element {
  const { lang, selectFrame, shared } = useApp(
    useShallow((s) => ({ lang: s.lang, selectFrame: s.selectFrame, shared: s.shared })),
  );
  const S = strings(lang);
  // A shared healthy result has no packets: say what the sender found, not "the capture is empty".
  const claimOnly = !!shared && shared.packets === 0 && shared.claim.cause === null;
  const d = claimOnly ? { ...report.diagnosis, summary: S.sharedNothing } : report.diagnosis;
  const severity =
    d.cause === 'vxlan-checksum-drop'
      ? 'error'
      : d.cause
        ? 'warning'
        : report.findings.some((f) => f.severity === 'error')
          ? 'warning'
          : 'ok';
  return (
    <section
      className={`panel diagnosis sev-${severity}`}
      data-testid="diagnosis"
      data-cause={d.cause ?? ''}
      aria-label={S.diagnosis}
    >
      <div className="panel-head">
        <h2>{S.diagnosis}</h2>
        <span className={`badge conf-${d.confidence}`}>
          {S.confidence}: {S.confidenceLevels[d.confidence]}
        </span>
      </div>
      <p className="cause">
        <span className="cause-icon" aria-hidden="true">
          {severity === 'ok' ? '✓' : severity === 'error' ? '✗' : '!'}
        </span>
        <code data-testid="cause">{d.cause ?? S.noCause}</code>
      </p>
      <p className="summary" data-testid="summary">
        {d.summary}
      </p>
      {d.evidence.length > 0 && (
        <div className="evidence">
          <span className="label">{S.evidence}:</span>{' '}
          {d.evidence.slice(0, 40).map((n) => (
            <button key={n} className="chip" onClick={() => void selectFrame(d.evidenceCapture, n)} data-testid="evidence-frame">
              {n}
            </button>
          ))}
          {report.captures.length > 1 && <span className="muted"> ({report.captures[d.evidenceCapture]?.file})</span>}
        </div>
      )}
      {d.confirm.length > 0 && (
        <>
          <h3>{S.confirm}</h3>
          <ol className="remedies confirm" data-testid="confirm">
            {d.confirm.map((r, i) => (
              <Remedy key={i} text={r} />
            ))}
          </ol>
        </>
      )}
      {d.remedies.length > 0 && (
        <>
          <h3>{S.remedies}</h3>
          <ol className="remedies">
            {d.remedies.map((r, i) => (
              <Remedy key={i} text={r} />
            ))}
          </ol>
        </>
      )}
      {d.caveats.length > 0 && (
        <>
          <h3>{S.caveats}</h3>
          <ul className="caveats">
            {d.caveats.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
