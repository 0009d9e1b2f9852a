/** Permalink problems in English and Chinese (keys `link:*`, `share:*`). */
import type { Template } from '../messages';

export const LINK_MESSAGES: Record<string, Template> = {
  'link:empty': { en: () => 'the link carries no shared result', zh: () => '该链接不包含共享的结果' },
  'link:not-base64': {
    en: () => 'the link is damaged: its data is not valid base64url (was it cut or edited?)',
    zh: () => '链接已损坏：其数据不是有效的 base64url（是否被截断或修改过？）',
  },
  'link:corrupt': {
    en: (p) => `the link is damaged or truncated: its data does not decompress${p.why ? ` (${p.why})` : ''}`,
    zh: (p) => `链接已损坏或被截断：数据无法解压${p.why ? `（${p.why}）` : ''}`,
  },
  'link:bad-magic': { en: () => 'this is not a pcap-doctor link', zh: () => '这不是 pcap-doctor 生成的链接' },
  'link:future-version': {
    en: (p) =>
      `this link was made by a newer pcap-doctor (format ${p.version}; this version reads up to ${p.max}). Reload to update.`,
    zh: (p) => `该链接由更新版本的 pcap-doctor 生成（格式 ${p.version}；当前版本最多支持 ${p.max}）。请刷新以更新。`,
  },
  'link:invalid': { en: (p) => `the link is invalid: ${p.why}`, zh: (p) => `链接无效：${p.why}` },
  'link:unknown-cause': {
    en: (p) => `the link names diagnosis code ${p.code}, which this version does not know (made by a newer pcap-doctor?)`,
    zh: (p) => `链接中的诊断代码 ${p.code} 无法识别（是否由更新版本的 pcap-doctor 生成？）`,
  },
  'share:nothing': { en: () => 'nothing to share yet', zh: () => '还没有可以共享的内容' },
};
