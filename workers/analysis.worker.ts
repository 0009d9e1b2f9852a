/**
 * The analysis worker: thin Comlink glue over the core. The UI imports `AnalysisApi` as a type
 * only and talks to this worker through a Comlink proxy.
 */
// First: removes fetch, WebSocket and the other network APIs before any other module runs.
import './lockdown';
import { expose } from 'comlink';
import { AnalysisApi } from './api';

expose(new AnalysisApi());

export type { AnalysisApi };
