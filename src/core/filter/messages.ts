/** Display-filter errors in English and Chinese (keys `filter:*`). */
import type { Template } from '../messages';

export const FILTER_MESSAGES: Record<string, Template> = {
  'filter:char': {
    en: (p) => `unexpected character "${p.ch}" at ${p.at}`,
    zh: (p) => `第 ${p.at} 个字符“${p.ch}”无法识别`,
  },
  'filter:end': { en: () => 'the filter ends too early', zh: () => '过滤表达式不完整' },
  'filter:paren': { en: (p) => `missing ")" for the "(" at ${p.at}`, zh: (p) => `第 ${p.at} 个字符处的“(”缺少对应的“)”` },
  'filter:unexpected': { en: (p) => `unexpected "${p.tok}" at ${p.at}`, zh: (p) => `第 ${p.at} 个字符处出现多余的“${p.tok}”` },
  'filter:field': { en: (p) => `unknown field "${p.field}"`, zh: (p) => `未知字段“${p.field}”` },
  'filter:value': { en: (p) => `value expected after ${p.op}`, zh: (p) => `${p.op} 之后缺少值` },
  'filter:bad-value': {
    en: (p) => `"${p.value}" is not a valid ${p.type} for ${p.field}`,
    zh: (p) =>
      `“${p.value}”不是 ${p.field} 的有效${p.type === 'IPv4 address' ? ' IPv4 地址' : p.type === 'IPv6 address' ? ' IPv6 地址' : p.type === 'MAC address' ? ' MAC 地址' : p.type === 'number' ? '数值' : '值'}`,
  },
  'filter:op': {
    en: (p) => `${p.field} cannot be compared with ${p.op}`,
    zh: (p) => `字段 ${p.field} 不能使用 ${p.op} 比较`,
  },
  'filter:regex': { en: (p) => `invalid regular expression: ${p.why}`, zh: (p) => `正则表达式无效：${p.why}` },
  'filter:too-long': {
    en: (p) => `the filter is too long (${p.len} characters; at most ${p.max})`,
    zh: (p) => `过滤表达式太长（${p.len} 个字符；最多 ${p.max} 个）`,
  },
  'filter:too-deep': {
    en: (p) => `the filter nests too deeply (more than ${p.max} levels of parentheses or "not")`,
    zh: (p) => `过滤表达式嵌套过深（括号或 not 超过 ${p.max} 层）`,
  },
  'filter:too-many': {
    en: (p) => `the filter has too many terms (more than ${p.max})`,
    zh: (p) => `过滤表达式的条件太多（超过 ${p.max} 个）`,
  },
};
