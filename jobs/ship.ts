import { advanceExperiment } from "../src/domain/advance-experiment.js";
import { PermanentError } from "../src/domain/errors.js";
import type { ExperimentRecord } from "../src/domain/experiment.js";
import type { Attempts } from "../src/queue/error-outcome.js";
import type { JobPayload } from "../src/queue/job-payloads.js";
import { branchFor, pullRequestBody } from "../src/render/pull-request-body.js";
import { blockOrRethrow } from "./block-or-rethrow.js";
import type { CycleContext } from "./cycle-context.js";
import { guardedWrite } from "./guarded-write.js";
import { resumeExperiment } from "./resume.js";
import { startMeasuring, windowMs } from "./start-measuring.js";

/**
 * Ships the week's item: a pull request (measured after merge), a gate rolled out to the
 * split, or a started experiment. A problem the user must fix blocks the item and the week
 * moves on; anything else is retried by BullMQ.
 */
export async function processShip(
  ctx: CycleContext,
  data: JobPayload<"ship">,
  attempts?: Attempts,
): Promise<string> {
  let experiment = await loadExperiment(ctx, data.experimentId);
  if (experiment.status !== "planned" && experiment.status !== "shipping") {
    await resumeExperiment(ctx, experiment);
    return `already ${experiment.status}`;
  }
  if (experiment.status === "planned") {
    experiment = await ctx.ledger.saveExperiment(
      advanceExperiment(experiment, "shipping", ctx.now()),
    );
  }
  try {
    const shipped = await ship(ctx, experiment);
    const item = experiment.item;
    ctx.telemetry.capture("shiploop experiment shipped", {
      experimentId: experiment.id,
      week: experiment.week,
      item: item.id,
      stage: item.stage,
      kind: item.ship.kind,
      expectedLift: item.impact.relativeLift,
    });
    return shipped;
  } catch (error) {
    return blockOrRethrow(ctx, experiment.id, error, attempts);
  }
}

async function ship(ctx: CycleContext, experiment: ExperimentRecord): Promise<string> {
  const item = experiment.item;
  const ship = item.ship;
  switch (ship.kind) {
    case "pull-request": {
      const { experiment: written, result } = await guardedWrite(
        ctx,
        experiment,
        "pull-request",
        async () => {
          const ref = await ctx.codeHost.ensurePullRequest({
            itemId: item.id,
            repo: ship.repo ?? ctx.config.githubRepository,
            base: ship.base,
            branch: branchFor(item.id),
            title: `[shiploop] ${item.title}`,
            body: pullRequestBody(experiment, windowMs(ctx, experiment)),
            changes: ship.changes,
            labels: ["shiploop", "experiment", item.stage],
            reviewers: ship.reviewers,
          });
          return { ...ref };
        },
      );
      const shipped = {
        kind: ship.kind,
        repo: result.repo,
        gate: ship.gate,
        pullRequestUrl: result.url,
        pullRequestNumber: result.number,
        branch: result.branch,
      };
      await ctx.ledger.saveExperiment(
        advanceExperiment(written, "awaiting-merge", ctx.now(), { ship: shipped }),
      );
      await ctx.queue.awaitMerge(experiment.id);
      return `pull request ${result.url}`;
    }
    case "gate": {
      const { experiment: written } = await guardedWrite(
        ctx,
        experiment,
        "gate-split",
        async () => ({
          ...(await ctx.flags.ensureGateSplit({ gate: ship.gate, percent: item.split })),
        }),
      );
      await startMeasuring(ctx, { ...written, ship: { kind: ship.kind, gate: ship.gate } });
      return `gate ${ship.gate} at ${item.split} %`;
    }
    case "experiment": {
      const { experiment: written } = await guardedWrite(
        ctx,
        experiment,
        "experiment-start",
        async () => ({
          ...(await ctx.flags.ensureExperimentStarted({
            name: ship.experiment,
            hypothesis: item.hypothesis,
            groups: ship.groups.map((g) => ({
              name: g.name,
              size: g.size,
              parameters: g.parameters,
            })),
            primaryMetric: item.primaryMetric,
            guardrails: item.guardrails,
            windowMs: windowMs(ctx, experiment),
          })),
        }),
      );
      await startMeasuring(ctx, {
        ...written,
        ship: { kind: ship.kind, experiment: ship.experiment },
      });
      return `experiment ${ship.experiment} started`;
    }
  }
}

export async function loadExperiment(ctx: CycleContext, id: string): Promise<ExperimentRecord> {
  const experiment = await ctx.ledger.getExperiment(id);
  if (!experiment)
    throw new PermanentError("unknown-experiment", `no experiment ${id} in the ledger`);
  return experiment;
}
