/**
 * Problems found in capture files, in English and Simplified Chinese, from one table. Errors carry
 * their key and params, so the JSON keeps the English `message` while the app and `--lang zh`
 * show the same facts in Chinese.
 */
import type { CoreError } from '../errors';
import { makeError } from '../errors';
import type { Template } from '../messages';

/** Message templates by key (`code` or `code:variant`). */
export const CAPTURE_MESSAGES: Record<string, Template> = {
  empty: { en: () => 'file is empty (0 bytes)', zh: () => '文件为空（0 字节）' },
  'header-truncated': {
    en: (p) => `file is too short for a capture header (${p.len} bytes; pcap needs ${p.need})`,
    zh: (p) => `文件太短，放不下抓包文件头（${p.len} 字节；pcap 需要 ${p.need} 字节）`,
  },
  'bad-magic': {
    en: (p) => `not a pcap or pcapng file (magic ${p.magic} at byte 0)`,
    zh: (p) => `不是 pcap 或 pcapng 文件（第 0 字节处的魔数为 ${p.magic}）`,
  },
  'unsupported-version': {
    en: (p) => `unsupported pcap version ${p.version} (only 2.x is defined) at byte 4`,
    zh: (p) => `不支持的 pcap 版本 ${p.version}（只定义了 2.x），位于第 4 字节`,
  },
  'unsupported-version:pcapng': {
    en: (p) => `unsupported pcapng section version ${p.version} at byte ${p.at}; stopping here`,
    zh: (p) => `不支持的 pcapng 节版本 ${p.version}，位于第 ${p.at} 字节；在此停止`,
  },
  'odd-version': {
    en: (p) => `unusual pcap version 2.${p.minor} (expected 2.4); reading it anyway`,
    zh: (p) => `少见的 pcap 版本 2.${p.minor}（应为 2.4）；仍然继续读取`,
  },
  'record-too-long': {
    en: (p) => `record length ${p.len} exceeds the maximum ${p.max} (snaplen ${p.snaplen}) at byte ${p.at}; stopping here`,
    zh: (p) => `第 ${p.at} 字节处的记录长度 ${p.len} 超过上限 ${p.max}（snaplen ${p.snaplen}）；在此停止`,
  },
  'bad-timestamp': {
    en: (p) => `invalid timestamp fraction ${p.frac} (${p.unit} must be < ${p.div}) in record at byte ${p.at}`,
    zh: (p) => `第 ${p.at} 字节处记录的时间戳小数部分 ${p.frac} 无效（${p.unit} 必须小于 ${p.div}）`,
  },
  'truncated-record': {
    en: (p) => `capture ends inside a ${p.what} at byte ${p.at}: ${p.left} bytes left over`,
    zh: (p) => `抓包文件在第 ${p.at} 字节处的${p.what === 'record' ? '记录' : '块'}中间结束：剩余 ${p.left} 字节`,
  },
  'bad-bom': {
    en: (p) => `bad pcapng byte-order magic ${p.bom} at byte ${p.at}`,
    zh: (p) => `第 ${p.at} 字节处的 pcapng 字节序魔数 ${p.bom} 无效`,
  },
  'bad-block-length': {
    en: (p) =>
      `invalid pcapng block length ${p.len} (type ${p.type}) at byte ${p.at}: must be >= 12, a multiple of 4 and sane; stopping here`,
    zh: (p) => `第 ${p.at} 字节处的 pcapng 块长度 ${p.len}（类型 ${p.type}）无效：必须 >= 12、是 4 的倍数且合理；在此停止`,
  },
  'bad-block-trailer': {
    en: (p) => `pcapng block at byte ${p.at} has total length ${p.len} but trailer ${p.trailer}; stopping here`,
    zh: (p) => `第 ${p.at} 字节处的 pcapng 块总长度为 ${p.len}，但尾部长度为 ${p.trailer}；在此停止`,
  },
  'bad-shb': {
    en: (p) => `Section Header Block too short (${p.len}) at byte ${p.at}`,
    zh: (p) => `第 ${p.at} 字节处的节头块太短（${p.len}）`,
  },
  'bad-idb': {
    en: (p) => `Interface Description Block too short (${p.len}) at byte ${p.at}`,
    zh: (p) => `第 ${p.at} 字节处的接口描述块太短（${p.len}）`,
  },
  'bad-epb': {
    en: (p) => `packet block too short (${p.len}) at byte ${p.at}`,
    zh: (p) => `第 ${p.at} 字节处的报文块太短（${p.len}）`,
  },
  'bad-interface': {
    en: (p) => `packet block at byte ${p.at} names interface ${p.id}, which was not described`,
    zh: (p) => `第 ${p.at} 字节处的报文块引用了未描述的接口 ${p.id}`,
  },
  'bad-interface:spb': {
    en: (p) => `Simple Packet Block at byte ${p.at} before any interface`,
    zh: (p) => `第 ${p.at} 字节处的简单报文块出现在任何接口描述之前`,
  },
  'bad-caplen': {
    en: (p) => `packet block at byte ${p.at} claims ${p.caplen} captured bytes but holds only ${p.holds}; skipped`,
    zh: (p) => `第 ${p.at} 字节处的报文块声称捕获了 ${p.caplen} 字节，实际只有 ${p.holds} 字节；已跳过`,
  },
  'bad-option': {
    en: (p) => `${p.what} at byte ${p.at}: option ${p.code} of length ${p.len} runs past the block; options ignored`,
    zh: (p) => `第 ${p.at} 字节处的 ${p.what}：长度为 ${p.len} 的选项 ${p.code} 超出了块的范围；忽略这些选项`,
  },
  'gzip-corrupt': {
    // The platform's own exception text (`why`) stays in params: it differs per browser and means
    // little to a reader; what it says is reduced to "ends early" or "damaged".
    en: (p) =>
      `the gzip file ${p.kind === 'truncated' ? 'ends early (cut short)' : 'is damaged'} after ${p.out} decompressed bytes (${p.fed} compressed bytes read); what came before is analysed`,
    zh: (p) =>
      `gzip 文件在解压出 ${p.out} 字节后${p.kind === 'truncated' ? '提前结束（被截断）' : '已损坏'}（已读取 ${p.fed} 个压缩字节）；此前的内容照常分析`,
  },
  'gzip-bomb': {
    en: (p) =>
      `gzip stream expands more than ${p.ratio}-fold (${p.out} bytes from ${p.fed} compressed bytes): a decompression bomb, not a capture; reading stopped there, the report covers what was read`,
    zh: (p) =>
      `gzip 数据流膨胀超过 ${p.ratio} 倍（${p.fed} 个压缩字节解压出 ${p.out} 字节）：这是解压炸弹而不是抓包文件；已在此处停止读取，报告只包含此前读到的内容`,
  },
  'too-many-interfaces': {
    en: (p) => `more than ${p.max} interfaces described in one section (at byte ${p.at}); further ones are ignored`,
    zh: (p) => `同一节中描述的接口超过 ${p.max} 个（第 ${p.at} 字节处）；其余的被忽略`,
  },
  interrupted: {
    en: (p) => `reading was stopped at byte ${p.at} (interrupted): the report covers the packets read until then`,
    zh: (p) => `读取在第 ${p.at} 字节处被中止（中断）：报告只包含此前读到的报文`,
  },
  'unsupported-link-type': {
    en: (p) => `link type ${p.lt} is not decoded (first seen at frame ${p.n}); its frames are counted but not analysed`,
    zh: (p) => `链路类型 ${p.lt} 不支持解码（首次出现在第 ${p.n} 帧）；这些帧只计数、不分析`,
  },
};

/** Build a capture-file error (English `message`, key and params kept for translation). */
export function captureError(key: string, params: Record<string, string | number>, offset: number): CoreError {
  return makeError(key, params, offset);
}
