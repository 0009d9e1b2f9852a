/**
 * Sharing: the share step (anonymise, see exactly what will be shared, copy the link), the
 * banner shown when a result was opened from a link, and "download as pcap".
 */
import { useShallow } from 'zustand/react/shallow';
import { useEffect, useRef, useState, type JSX } from 'react';
import type { SharePreview } from '../../workers/api';
import { strings } from './i18n';
import { errorText, type CoreError } from '../core/errors';
import { bridge, useApp, useReport } from './store';
import { useFocusTrap } from './useFocusTrap';
import { baseName, saveFile } from './download';

export function ShareDialog({ onClose }: { onClose: () => void }): JSX.Element {
  const lang = useApp((s) => s.lang);
  const S = strings(lang);
  const [anon, setAnon] = useState(false);
  const [preview, setPreview] = useState<SharePreview | null>(null);
  const [error, setError] = useState<CoreError | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    let live = true;
    setPreview(null);
    void bridge.api.share(anon).then((p) => {
      if (!live) return;
      if ('ok' in p) setError(p.error);
      else setPreview(p);
    });
    return () => {
      live = false;
    };
  }, [anon]);
  // Focus moves into the dialog and stays there; Escape closes it and focus goes back to the
  // Share button.
  const dialog = useRef<HTMLDivElement>(null);
  useFocusTrap(dialog, onClose);
  const url = preview ? `${location.origin}${location.pathname}#r=${preview.value}` : '';
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        ref={dialog}
        className="modal"
        tabIndex={-1}
        role="dialog"
        aria-modal="true"
        aria-labelledby="share-title"
        onClick={(e) => e.stopPropagation()}
        data-testid="share-dialog"
      >
        <h2 id="share-title">{S.shareTitle}</h2>
        <p className="muted">{S.shareExplain}</p>
        <label className="check-row">
          <input type="checkbox" checked={anon} onChange={(e) => setAnon(e.target.checked)} data-testid="anonymise" />{' '}
          {S.anonymise}
        </label>
        <p className="muted small">{S.anonymiseHelp}</p>
        {error && (
          <p className="filter-error" role="alert">
            {errorText(error, lang)}
          </p>
        )}
        {preview && (
          <>
            <h3 id="share-what">{S.willShare(preview.packets.length)}</h3>
            {/* Focusable so the keyboard can scroll it (it scrolls on a phone). */}
            <ul className="share-list" data-testid="share-preview" tabIndex={0} aria-labelledby="share-what">
              {preview.packets.map((p) => (
                <li key={`${p.capture}:${p.frame}`}>
                  <span className="mono">
                    {p.capture ? 'B' : 'A'}:{p.frame}
                  </span>{' '}
                  {p.summary}
                </li>
              ))}
            </ul>
            {preview.truncated && (
              <p className="notice warn-box" role="status" data-testid="share-truncated">
                {S.shareTruncated(preview.omitted)}
              </p>
            )}
            <div className="link-row">
              <input readOnly value={url} data-testid="permalink" aria-label={S.link} onFocus={(e) => e.target.select()} />
              <button
                className="primary"
                onClick={() => {
                  void navigator.clipboard?.writeText(url).catch(() => undefined);
                  setCopied(true);
                }}
                data-testid="copy-link"
              >
                {copied ? S.copied : S.copyLink}
              </button>
            </div>
            <p className="muted small">{S.linkLength(url.length)}</p>
          </>
        )}
        {!preview && !error && <p className="muted">…</p>}
        <div className="actions end">
          <button onClick={onClose}>{S.close}</button>
        </div>
      </div>
    </div>
  );
}

export function SharedBanner(): JSX.Element | null {
  const { shared, lang, capture, names } = useApp(
    useShallow((s) => ({ shared: s.shared, lang: s.lang, capture: s.capture, names: s.names })),
  );
  const report = useReport();
  const S = strings(lang);
  if (!shared || !report) return null;
  // Verify, not trust: the worker checked the re-analysis against the sender's claim (the same
  // cause with the same attempts) on the full report; the page's view has its attempt lists cut.
  const same = shared.matches;
  return (
    <div
      className={`banner ${same ? 'ok' : 'warn'}`}
      role="status"
      data-testid="shared-banner"
      data-matches={same ? 'true' : 'false'}
    >
      <span>
        {shared.packets === 0 && shared.claim.cause === null ? (
          S.sharedNothing
        ) : (
          <>
            {S.sharedOpened(shared.packets, shared.anonymised)}{' '}
            {same
              ? S.sharedSame(report.diagnosis.cause ?? S.noCause)
              : S.sharedDiffers(shared.claim.cause ?? S.noCause, report.diagnosis.cause ?? S.noCause)}
            {shared.truncated && ` ${S.sharedTruncated}`}
          </>
        )}
      </span>
      <button
        onClick={() =>
          void bridge.api
            .exportPcap(capture)
            .then((f) => saveFile(f.bytes, `${baseName(names[capture], 'shared')}.${f.format}`, 'application/vnd.tcpdump.pcap'))
        }
        data-testid="download-pcap"
      >
        {S.downloadPcap}
      </button>
    </div>
  );
}
