import type { CheckResult, Exchange, HeaderValue, ScenarioResult } from '../model/results.js';
import { collectChecks, formatDuration } from './scenario-summary.js';

/**
 * Exchange -> readable text, shared by the JUnit system-out and the console's verbose mode.
 * Text that came from the target is passed through `escapeControls`, so a body cannot
 * drive the terminal (ESC, CSI) and control characters stay visible as `\x1b`, `\u{fffe}`.
 */

// C0 controls except \t and \n, DEL, C1 controls, U+FFFE/U+FFFF, lone surrogates.
const UNSAFE_CHARS =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Makes control characters, lone surrogates and non-characters visible; `\r\n` becomes `\n`. */
export function escapeControls(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE_CHARS, (char) => {
    const code = char.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** One line per header field line: a list value (separate lines as sent) shows each of its lines. */
function formatHeaders(prefix: string, headers: Record<string, HeaderValue>): string[] {
  return Object.entries(headers).flatMap(([name, value]) =>
    [value].flat().map((line) => `${prefix} ${escapeControls(name)}: ${escapeControls(line)}`),
  );
}

function formatBody(body: string): string[] {
  const text = escapeControls(body);
  return text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
}

/** `PASS`/`FAIL`/`WARN`/`INFO` + requirement (level) + subject, expected and actual. */
export function formatCheck(check: CheckResult): string {
  const tag = check.passed ? 'ok  ' : check.severity === 'failure' ? 'FAIL' : check.severity === 'warning' ? 'WARN' : 'INFO';
  const head = `${tag} ${check.requirement} (${check.level}) ${check.subject}`;
  if (check.passed) return escapeControls(`${head}: ${check.actual}`);
  return escapeControls(`${head}: ${check.message}`);
}

/**
 * One exchange, curl-style:
 * ```
 * [1] kickoff  2024-01-01T00:00:00.000Z  (120ms)
 * > GET http://host/$export
 * > accept: application/fhir+json
 * < 202
 * < content-location: http://host/status/1
 * <
 * {"resourceType": ...}
 * ```
 */
export function formatExchange(exchange: Exchange, index: number): string[] {
  const lines = [`[${index + 1}] ${escapeControls(exchange.label)}  ${exchange.startedAt}  (${formatDuration(exchange.durationMs)})`];
  const { request, response } = exchange;
  lines.push(`> ${escapeControls(request.method)} ${escapeControls(request.url)}`);
  lines.push(...formatHeaders('>', request.headers));
  if (request.bodyExcerpt) lines.push('>', ...formatBody(request.bodyExcerpt));
  if (exchange.error) lines.push(`! ${escapeControls(exchange.error)}`);
  if (response) {
    lines.push(`< ${response.status}`);
    lines.push(...formatHeaders('<', response.headers));
    if (response.bodyExcerpt) {
      lines.push('<', ...formatBody(response.bodyExcerpt));
      if (response.truncated) lines.push(`... (body truncated; ${response.bodyBytes} bytes in total)`);
    } else if (response.bodyBytes === 0) {
      lines.push('< (no body)');
    }
  } else if (!exchange.error) {
    lines.push('< (no response recorded)');
  }
  return lines;
}

/**
 * All exchanges of a scenario, each followed by the checks made on it,
 * then the checks that name no exchange.
 */
export function formatTranscript(scenario: ScenarioResult): string[] {
  const checks = collectChecks(scenario);
  const lines: string[] = [];
  scenario.exchanges.forEach((exchange, index) => {
    if (lines.length > 0) lines.push('');
    lines.push(...formatExchange(exchange, index));
    const own = checks.filter((check) => check.exchange === index);
    if (own.length > 0) lines.push('', ...own.map((check) => `  ${formatCheck(check)}`));
  });
  const loose = checks.filter(
    (check) => check.exchange === undefined || scenario.exchanges[check.exchange] === undefined,
  );
  if (loose.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push('checks:', ...loose.map((check) => `  ${formatCheck(check)}`));
  }
  return lines;
}
