/**
 * The worker's API: the core's {@link Session}, nothing more. The UI imports these types only and
 * talks to the worker through a Comlink proxy.
 */
export { Session as AnalysisApi } from '../src/core/session';
export type {
  AnalyzeOk,
  CaptureSource,
  Fail,
  FilterResult,
  ListView,
  Located,
  PacketView,
  RawFrame,
  Row,
  SharedInfo,
  SharePreview,
  Swapped,
} from '../src/core/session';
export type { ConnRow, ConversationTable, DnsRow } from '../src/core/analysis/conversations';
export type { IoSeries } from '../src/core/analysis/series';
