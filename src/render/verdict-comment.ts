import type { ExperimentRecord, VerdictRecord } from "../domain/experiment.js";
import { renderVerdictMarkdown } from "./verdict-markdown.js";

/** The verdict as the pull request's comment: the full markdown verdict. */
export function verdictComment(experiment: ExperimentRecord, verdict: VerdictRecord): string {
  return renderVerdictMarkdown(experiment, verdict, { headingLevel: 3 });
}
