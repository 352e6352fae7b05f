/** Shared server state and the per-request context every handler receives. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExportParams } from './bulk/export-params.js';
import type { FhirStore } from './fhir-store.js';
import type { InteractionJobPayload } from './interaction/job.js';
import type { Job, JobStore } from './job-store.js';
import type { ResolvedConfig } from './options.js';
import type { CallbackScheduler } from './callbacks/callback-scheduler.js';
import type { JobEvents } from './longpoll/job-events.js';

/** What a bulk $export job remembers about its kick-off. */
export interface ExportJobPayload extends ExportParams {
  /** The full kick-off URL as received, made absolute. */
  requestUrl: string;
  /** The base for absolute URLs at kick-off (attachment URLs in the files); default requestUrl's origin. */
  baseUrl?: string;
  /** `Prefer: separate-export-status` was honoured (4.0 shape): polls answer 200 + X-Export-Status. */
  separateExportStatus?: boolean;
}

export type ExportJob = Job<ExportJobPayload>;

export interface ServerState {
  config: ResolvedConfig;
  exportJobs: JobStore<ExportJobPayload>;
  /** Asynchronous REST interactions (Bundle, redirect and search-bulk modes); same status URL space. */
  interactionJobs: JobStore<InteractionJobPayload>;
  /** Resources behind read, search and create. */
  fhirStore: FhirStore;
  /** `http://<bound host>:<port>`, used when there is no usable Host header. */
  fallbackBaseUrl: string;
  /** Cancellations, for long polls and callbacks waiting on a job (cancel paths call emitCancelled). */
  jobEvents: JobEvents;
  /** The one callback per job that asked for it with `Prefer: callback-url`. */
  callbacks: CallbackScheduler;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** The request URL parsed against a placeholder origin (use `baseUrl` for absolute URLs). */
  url: URL;
  /** Capture groups of the matched route pattern, decoded. */
  pathParams: readonly string[];
  /** Base for absolute URLs in this response, without a trailing slash. */
  baseUrl: string;
  state: ServerState;
}

export type Handler = (ctx: RequestContext) => void | Promise<void>;
