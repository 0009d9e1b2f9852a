/**
 * Plain-text rendering of a report, as an expert would summarise it: diagnosis first, then
 * the timeline of the key connection (attempt, offset, outer checksum state), then findings
 * with frame numbers. Used by the CLI (the app draws the same report itself).
 */
import { int, STATE_LABELS, type Lang } from './analysis/i18n';
import { errorText } from './errors';
import type { Attempt, FindingOf, Lost, Report } from './report';
import type { TimelinePoint } from './analysis/rule';
import { timelineOf, type FindingTimeline } from './analysis/timeline';
import { drawnAttempts } from './session/view';
import { attemptsSent } from './analysis/rules/syn-retry';

type SynRetryFinding = FindingOf<'syn-retry'>;
type DnsFinding = FindingOf<'dns-unanswered'>;

const H = {
  en: {
    diagnosis: 'Diagnosis',
    cause: 'cause',
    none: 'none',
    confidence: 'confidence',
    evidence: 'evidence frames',
    remedies: 'What to do',
    caveats: 'What this capture cannot tell',
    timeline: 'Timeline',
    attempt: 'attempt',
    frame: 'frame',
    offset: 'offset',
    outer: 'outer checksum',
    inner: 'inner',
    delivered: 'seen at other point',
    findings: 'Findings',
    captures: 'Captures',
    checksums: 'Checksums',
    answer: 'answer',
    packets: 'packets',
    errors: 'problems',
    event: 'event',
    where: 'capture',
    confirm: 'Confirm first',
    lost: 'Where they were lost',
    /** The row standing for the attempts a flood's timeline leaves out (the JSON keeps them). */
    more: (n: number, sent: number, listed: number) =>
      `… ${int(n)} more attempts, not listed (${int(sent)} in all; the JSON report lists ${listed < sent ? `the first ${int(listed)}` : 'every one'})`,
    moreEvents: (n: number, total: number) => `… ${int(n)} more events, not listed (${int(total)} in all; see the JSON report)`,
    side: { client: "client's end", server: "server's end", unknown: 'end unknown' },
    tunnel: { outer: 'tunnel headers seen', inner: 'inside the tunnel', none: 'no tunnel headers' },
  },
  zh: {
    diagnosis: '诊断',
    cause: '原因',
    none: '无',
    confidence: '置信度',
    evidence: '证据帧',
    remedies: '处理办法',
    caveats: '本抓包无法判断的内容',
    timeline: '时间线',
    attempt: '尝试',
    frame: '帧',
    offset: '偏移',
    outer: '外层校验和',
    inner: '内层',
    delivered: '另一抓包点可见',
    findings: '发现',
    captures: '抓包文件',
    checksums: '校验和',
    answer: '应答',
    packets: '个报文',
    errors: '问题',
    event: '事件',
    where: '抓包文件',
    confirm: '先确认',
    lost: '丢失位置',
    more: (n: number, sent: number, listed: number) =>
      `… 另有 ${int(n)} 次尝试未列出（共 ${int(sent)} 次；JSON 报告列出${listed < sent ? `前 ${int(listed)} 次` : '全部'}）`,
    moreEvents: (n: number, total: number) => `… 另有 ${int(n)} 个事件未列出（共 ${int(total)} 个；详见 JSON 报告）`,
    side: { client: '客户端一侧', server: '服务端一侧', unknown: '位置未知' },
    tunnel: { outer: '可见隧道首部', inner: '隧道内部', none: '无隧道首部' },
  },
};

/** Terminal columns of a string: CJK and fullwidth characters take two. */
function displayWidth(s: string): number {
  let n = 0;
  for (const ch of s)
    n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return n;
}

const hex = (v: number | null) => (v === null ? '-' : `0x${v.toString(16).padStart(4, '0')}`);

const CELL = {
  en: {
    bad: (s: string, c: string) => `BAD ${s} (should be ${c})`,
    yes: (n: number | undefined) => `yes (frame ${n})`,
    no: 'NO',
    linkTypes: (n: number) => (n === 1 ? 'link type' : 'link types'),
    bytes: 'bytes',
    colon: ': ',
    counts: { good: 'good', bad: 'bad', zero: 'zero', partial: 'partial', unverified: 'unverified' },
  },
  zh: {
    bad: (s: string, c: string) => `错误 ${s}（应为 ${c}）`,
    yes: (n: number | undefined) => `是（帧 ${n}）`,
    no: '否',
    linkTypes: () => '链路类型',
    bytes: '字节',
    colon: '：',
    counts: { good: '正确', bad: '错误', zero: '零', partial: '部分', unverified: '无法验证' },
  },
};

const label = (state: string, lang: Lang) => STATE_LABELS[lang][state] ?? state;

function outerCell(a: Attempt, lang: Lang): string {
  if (a.outerChecksum === 'bad') return CELL[lang].bad(hex(a.outerStored), hex(a.outerComputed));
  if (a.outerChecksum === 'none' || a.outerChecksum === 'zero') return label(a.outerChecksum, lang);
  return `${label(a.outerChecksum, lang)} ${hex(a.outerStored)}`;
}

/** Render the timeline rows of a SYN or DNS retry finding. */
export function timelineText(f: SynRetryFinding | DnsFinding, lang: Lang): string {
  const h = H[lang];
  const twoPoint = f.delivered !== undefined;
  const rows: string[][] = [[`#`, h.frame, `${h.offset} (s)`, h.outer, h.inner, ...(twoPoint ? [h.delivered] : [])]];
  // A flood's thousand attempts, like the app's chart: the first ones and the last, one row for the rest.
  const list = f.attemptList;
  const sent = attemptsSent(f);
  drawnRows(
    rows,
    list,
    (left) => h.more(left + sent - list.length, sent, list.length),
    (a, i) => [
      String(i + 1),
      String(a.frame),
      a.offsetSec.toFixed(3),
      outerCell(a, lang),
      label(a.innerChecksum, lang),
      ...(twoPoint ? [a.delivered ? CELL[lang].yes(a.otherFrame) : CELL[lang].no] : []),
    ],
  );
  if (f.kind === 'syn-retry' && f.answerFrame !== null && f.answerTs !== null) {
    const first = f.attemptList[0]!.ts;
    rows.push([
      h.answer,
      String(f.answerFrame),
      (f.answerTs - first).toFixed(3),
      f.outcome === 'reset' ? 'RST' : 'SYN-ACK',
      '',
      ...(twoPoint ? [''] : []),
    ]);
  }
  return table(rows);
}

/**
 * Append the rows of the items the app draws (all, or the first MAX - 1 and the last), with one
 * note row, `more(left)`, where the rest is left out.
 */
function drawnRows<T>(
  rows: string[][],
  items: readonly T[],
  more: (left: number) => string,
  row: (item: T, i: number) => string[],
): void {
  let prev = -1;
  for (const i of drawnAttempts(items.length)) {
    if (i > prev + 1) rows.push([more(i - prev - 1)]);
    prev = i;
    rows.push(row(items[i]!, i));
  }
}

/** Rows as aligned columns (CJK counted double width). */
function table(rows: string[][]): string {
  // A row of one cell (a note across the table) is printed as it is and sets no column width.
  const cells = rows.filter((r) => r.length > 1 || rows[0]!.length === 1);
  const w = rows[0]!.map((_, c) => Math.max(...cells.map((r) => displayWidth(r[c]!))));
  const pad = (x: string, n: number) => x + ' '.repeat(Math.max(0, n - displayWidth(x)));
  return (
    rows
      .map(
        (r) =>
          '  ' +
          r
            .map((x, c) => (r.length > 1 ? pad(x, w[c]!) : x))
            .join('  ')
            .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** diagnosis.lost.where in words. */
const LOST: Record<Lang, Record<Lost['where'], string> & { upstream(file: string): string }> = {
  en: {
    between: 'between the two capture points',
    'after-both': 'after both capture points',
    'return-path': "on the way back, between the server's point and the client's",
    unknown: 'unknown',
    upstream: (f) => `closer to the client: ${f}`,
  },
  zh: {
    between: '两个抓包点之间',
    'after-both': '两个抓包点之后',
    'return-path': '返回途中，服务端抓包点与客户端抓包点之间',
    unknown: '未知',
    upstream: (f) => `靠近客户端的是：${f}`,
  },
};

/** Confidence levels in words. */
const CONFIDENCE: Record<Lang, Record<Report['diagnosis']['confidence'], string>> = {
  en: { high: 'high', medium: 'medium', low: 'low' },
  zh: { high: '高', medium: '中', low: '低' },
};

/** Names of timeline events. */
const EVENT: Record<Lang, Record<TimelinePoint['kind'], string>> = {
  en: { attempt: 'sent', answer: 'answer', retransmission: 'retransmission', end: 'end' },
  zh: { attempt: '发送', answer: '应答', retransmission: '重传', end: '结束' },
};

/** Any rule's timeline as rows: offset, frame, where, what. */
function storyText(t: FindingTimeline, r: Report, lang: Lang): string {
  const h = H[lang];
  const where = (lane: number) =>
    r.captures.length > 1 && t.kind !== 'dns-retried' ? (r.captures[lane ? 1 - t.capture : t.capture]?.file ?? '') : '';
  const rows = [[h.offset, h.frame, h.event, ...(r.captures.length > 1 ? [h.where] : [])]];
  const points = [...t.points].sort((a, b) => a.offsetSec - b.offsetSec || a.lane - b.lane);
  drawnRows(
    rows,
    points,
    (left) => h.moreEvents(left, points.length),
    (p) => [
      (Math.abs(p.offsetSec) < 0.0005 ? 0 : p.offsetSec).toFixed(3),
      p.frame > 0 ? String(p.frame) : '',
      `${EVENT[lang][p.kind]}${p.label ? ` ${STATE_LABELS[lang][p.label] ?? p.label}` : ''}`,
      ...(r.captures.length > 1 ? [where(p.lane)] : []),
    ],
  );
  return table(rows);
}

/** Frame numbers for a line of text: the first 12 and the count (the JSON report lists them all). */
function frameList(ns: readonly number[]): string {
  return ns.length > 12 ? `${ns.slice(0, 12).join(', ')}, … (${int(ns.length)})` : ns.join(', ');
}

/**
 * Render the whole report as text, wrapped at `width` display columns (0: not wrapped, for
 * pasting into a ticket or a chat, which wrap by themselves).
 */
export function renderText(r: Report, lang: Lang, withFrames = false, width = 100): string {
  const h = H[lang];
  const d = r.diagnosis;
  const c = CELL[lang].colon;
  const wrap = (text: string, indent = '') => wrapText(text, indent, width);
  let s = `== ${h.diagnosis}${c}${d.cause ?? h.none} (${h.confidence}${c}${CONFIDENCE[lang][d.confidence]}) ==\n`;
  // The headline first (one sentence), then the evidence behind it.
  if (d.headline && d.headline !== d.summary) s += `${wrap(d.headline)}\n\n`;
  s += `${wrap(d.summary)}\n`;
  if (d.evidence.length)
    s += `${h.evidence}${c}${frameList(d.evidence)}${r.captures.length > 1 ? ` (${r.captures[d.evidenceCapture]!.file})` : ''}\n`;
  const primary = d.primaryFinding >= 0 ? r.findings[d.primaryFinding] : undefined;
  if (primary && (primary.kind === 'syn-retry' || primary.kind === 'dns-unanswered')) {
    s += `\n${h.timeline}${c}${primary.title}\n` + timelineText(primary, lang);
    const t = primary.kind === 'syn-retry' ? timelineOf(r, d.primaryFinding) : null;
    // The table above shows the attempts and the final answer; add earlier answers and the give-up.
    const last = primary.kind === 'syn-retry' ? primary.answerFrame : null;
    const more = t
      ? t.points.filter((p) => p.kind === 'end' || (p.kind === 'answer' && !(p.lane === 0 && p.frame === last)))
      : [];
    if (t && more.length) s += storyText({ ...t, points: more }, r, lang);
  } else if (primary) {
    const t = timelineOf(r, d.primaryFinding);
    if (t) s += `\n${h.timeline}${c}${primary.title}\n` + storyText(t, r, lang);
  }
  if (d.lost) {
    const up = r.captures[d.lost.upstream]?.file;
    s += `${h.lost}${c}${LOST[lang][d.lost.where]}${up ? ` (${LOST[lang].upstream(up)})` : ''}\n`;
  }
  if (d.confirm.length) s += `\n${h.confirm}${c.trim()}\n` + d.confirm.map((x) => wrap(`- ${x}`, '  ')).join('\n') + '\n';
  if (d.remedies.length) s += `\n${h.remedies}${c.trim()}\n` + d.remedies.map((x) => wrap(`- ${x}`, '  ')).join('\n') + '\n';
  if (d.caveats.length) s += `\n${h.caveats}${c.trim()}\n` + d.caveats.map((x) => wrap(`- ${x}`, '  ')).join('\n') + '\n';
  if (r.findings.length) {
    s += `\n== ${h.findings} (${r.findings.length}) ==\n`;
    for (const f of r.findings) {
      s += `[${f.severity}] ${f.kind}: ${f.title}\n    ${h.frame}: ${frameList(f.frames)}${r.captures.length > 1 ? ` (${r.captures[f.capture]!.file})` : ''}\n`;
    }
  }
  s += `\n== ${h.captures} ==\n`;
  for (const c of r.captures) {
    const at = c.side && c.packets ? ` [${h.side[c.side]}, ${h.tunnel[c.tunnel ?? 'none']}]` : '';
    s += `${c.file}: ${c.format}${c.compressed ? ' (gzip)' : ''}, ${CELL[lang].linkTypes(c.linkTypes.length)} ${c.linkTypes.join(', ') || '-'}, ${c.packets} ${h.packets}, ${c.bytes} ${CELL[lang].bytes}${at}\n`;
    for (const e of c.errors) s += `    ${h.errors}${CELL[lang].colon}${errorText(e, lang)}\n`;
  }
  s += `\n== ${h.checksums} ==\n`;
  const w = CELL[lang].counts;
  for (const [layer, n] of Object.entries(r.checksums)) {
    const total = n.good + n.bad + n.zero + n.partial + n.unverified;
    if (total)
      s += `  ${layer.padEnd(7)} ${w.good} ${n.good}  ${w.bad} ${n.bad}  ${w.zero} ${n.zero}  ${w.partial} ${n.partial}  ${w.unverified} ${n.unverified}\n`;
  }
  if (withFrames && r.frames) {
    s += '\n';
    for (const f of r.frames) {
      s += `${f.capture}:${f.n} ${f.summary}\n`;
      for (const c of f.checks)
        s += `      ${c.layer}@${c.depth} ${c.status} ${hex(c.stored)}${c.computed !== null && c.status !== 'good' ? ` -> ${hex(c.computed)}` : ''}${c.reason ? ` (${c.reason})` : ''}\n`;
    }
  }
  return s;
}

/**
 * Wrap `text` at spaces to `width` display columns (CJK characters take two); 0 leaves it whole.
 * A `command` in backticks is never broken: pasted into a shell it must be one line.
 */
function wrapText(text: string, indent: string, width: number): string {
  if (!width) return text;
  const lines: string[] = [];
  let cur = '';
  for (const w of words(text)) {
    if (cur && displayWidth(`${cur} ${w}`) > width) {
      lines.push(cur);
      cur = indent + w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.join('\n');
}

/** The space-separated words of `text`, a backticked span (spaces and all) staying one word. */
function words(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let code = false;
  for (const ch of text) {
    if (ch === '`') code = !code;
    if (ch === ' ' && !code) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
