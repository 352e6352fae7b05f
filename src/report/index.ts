export type { Reporter } from './reporter.js';
export { createConsoleReporter, formatRunSummary, formatScenarioLines } from './console-reporter.js';
export type { ConsoleReporterOptions } from './console-reporter.js';
export { createJunitReporter, renderJunitXml } from './junit-reporter.js';
export type { JunitReporterOptions } from './junit-reporter.js';
export { createJsonReporter, renderJson } from './json-reporter.js';
export type { JsonReporterOptions } from './json-reporter.js';
export { escapeControls, formatCheck, formatExchange, formatTranscript } from './transcript.js';
export { stripInvalidXmlChars } from './xml-text.js';
