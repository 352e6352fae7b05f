import type { RunResult, ScenarioResult } from '../model/results.js';

/**
 * Reporters only consume events; they never change results.
 * `onScenarioEnd` is called as each scenario ends (in completion order),
 * `onRunEnd` once with the whole run (scenarios in plan order).
 */
export interface Reporter {
  onRunStart?(info: { baseUrl: string; scenarioCount: number }): void;
  onScenarioEnd?(result: ScenarioResult): void;
  onRunEnd(result: RunResult): Promise<void> | void;
}
