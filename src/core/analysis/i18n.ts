/**
 * Shared pieces of the analysis text in English and Simplified Chinese (state names, ICMP names,
 * ladders, number formats). Each rule and cause keeps its own sentences in its own module; the
 * CLI (`--lang zh`) and the web app say exactly the same thing.
 */
export type Lang = 'en' | 'zh';

/** One text per language. */
export type Text<T> = Record<Lang, T>;

/** Labels of checksum verdicts and outer-checksum states, shared by the app and the CLI text. */
export const STATE_LABELS: Record<Lang, Record<string, string>> = {
  en: {
    bad: 'bad',
    zero: 'zero (no checksum)',
    good: 'good',
    partial: 'partial (offload)',
    unverified: 'unverified',
    none: 'not tunnelled',
  },
  zh: { bad: '错误', zero: '零（未计算）', good: '正确', partial: '部分（卸载）', unverified: '无法验证', none: '无隧道' },
};

/** Seconds with two decimals below 10 s, one above; the microseconds below 10 ms. */
export const fmtS = (x: number): string =>
  // Below 10 ms the first significant digits (a RST 0.7 ms after the SYN is not "0.00 s"),
  // to the microsecond a classic pcap records.
  x > 0 && x < 0.01 ? String(Number(x.toFixed(6))) : `${x.toFixed(x < 10 ? 2 : 1)}`;

/** 0x-prefixed 16-bit value, or ? when unknown. */
export const hex4 = (v: number | null): string => (v === null ? '?' : `0x${v.toString(16).padStart(4, '0')}`);

/** A count with thousands separators (both languages group by three): 750162 → "750,162". */
export const int = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** English plural s. */
export const s = (n: number): string => (n === 1 ? '' : 's');

/** Between two sentences: a space in English, nothing after a Chinese full stop. */
export const SEP: Record<Lang, string> = { en: ' ', zh: '' };

/** Name of an ICMP (type 3) or ICMPv6 (type 1) unreachable code, or "type t code c". */
export function icmpName(lang: Lang, type: number, code: number, v6 = false): string {
  const zh = lang === 'zh';
  if (!v6 && type === 3) {
    const n = zh
      ? ['网络不可达', '主机不可达', '协议不可达', '端口不可达', '需要分片']
      : ['network unreachable', 'host unreachable', 'protocol unreachable', 'port unreachable', 'fragmentation needed'];
    if (n[code]) return n[code]!;
    if (code === 9 || code === 10 || code === 13) return zh ? '管理性禁止' : 'administratively prohibited';
    return zh ? `不可达（代码 ${code}）` : `unreachable (code ${code})`;
  }
  if (v6 && type === 1) {
    const n = zh
      ? ['无路由', '管理性禁止', '超出范围', '地址不可达', '端口不可达', '源地址策略拒绝', '路由拒绝']
      : [
          'no route',
          'administratively prohibited',
          'beyond scope',
          'address unreachable',
          'port unreachable',
          'source address failed policy',
          'reject route',
        ];
    return n[code] ?? (zh ? `不可达（代码 ${code}）` : `unreachable (code ${code})`);
  }
  if (v6 && type === 2) return zh ? '报文过大' : 'packet too big';
  return zh ? `类型 ${type} 代码 ${code}` : `type ${type} code ${code}`;
}

/** Name of a retry ladder. */
export function ladderName(lang: Lang, l: string): string {
  const t: Text<Record<string, string>> = {
    en: {
      'linux-exponential': 'Linux exponential backoff: 1, 3, 7, 15, 31, 63 s',
      'linux-linear': 'Linux >= 6.5 linear-then-exponential backoff',
      other: 'an unrecognised retry ladder',
    },
    zh: {
      'linux-exponential': 'Linux 指数退避：1、3、7、15、31、63 秒',
      'linux-linear': 'Linux >= 6.5 先线性后指数的退避',
      other: '无法识别的重传节奏',
    },
  };
  return t[lang][l] ?? l;
}

/** An outer checksum state as a phrase ("bad outer checksum"). */
export function outerName(lang: Lang, st: string): string {
  const t: Text<Record<string, string>> = {
    en: {
      bad: 'bad outer checksum',
      zero: 'no outer checksum (0)',
      good: 'a valid outer checksum',
      partial: 'an offload (partial) outer checksum',
      unverified: 'an unverifiable outer checksum',
      none: 'no tunnel',
    },
    zh: {
      bad: '外层校验和错误',
      zero: '外层无校验和（0）',
      good: '外层校验和正确',
      partial: '外层为卸载（部分）校验和',
      unverified: '外层校验和无法验证',
      none: '无隧道',
    },
  };
  return t[lang][st] ?? st;
}

/** Connection outcomes. */
export function outcomeName(lang: Lang, o: string): string {
  const t: Text<Record<string, string>> = {
    en: { established: 'established', reset: 'reset', failed: 'failed', unknown: 'unknown', refused: 'refused' },
    zh: { established: '已建立', reset: '被重置', failed: '失败', unknown: '未知', refused: '被拒绝' },
  };
  return t[lang][o] ?? o;
}
