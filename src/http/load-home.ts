import { type ExperimentRecord, FINAL_STATUSES, type WeekRecord } from "../domain/experiment.js";
import { isoWeekOf } from "../domain/iso-week.js";
import type { Ledger } from "../ledger/ledger.js";
import type { CycleQueue } from "../queue/cycle-queue.js";
import { type TimelinePoint, verdictTimeline } from "../render/verdict-timeline.js";
import type { Ranking } from "../runtime/load-ranking.js";

export interface HomeView {
  week: string;
  weekRecord?: WeekRecord;
  /** The experiment this week started, in whatever state it is now. */
  current?: ExperimentRecord;
  /** Other experiments still running (earlier weeks still measuring, say). */
  live: ExperimentRecord[];
  nextKickoff?: string;
  lastKickoff?: string;
  ranking: Ranking | { error: string };
  timeline: TimelinePoint[];
  /** Decided experiments, newest first. */
  recent: ExperimentRecord[];
}

export interface HomeSources {
  ledger: Ledger;
  queue: Pick<CycleQueue, "nextKickoff">;
  loadRanking(): Promise<Ranking>;
  now(): Date;
  tz: string;
}

/** Everything the home page shows, read with the ledger's existing methods. */
export async function loadHome(sources: HomeSources): Promise<HomeView> {
  const { ledger } = sources;
  const week = isoWeekOf(sources.now(), sources.tz);
  const [weekRecord, experiments, decided, nextKickoff, meta, ranking] = await Promise.all([
    ledger.getWeek(week),
    ledger.listExperiments({ newestFirst: true, limit: 200 }),
    ledger.listDecided(500),
    sources.queue.nextKickoff().catch(() => undefined),
    ledger.getMeta(),
    sources.loadRanking().catch((error: unknown) => ({
      error: error instanceof Error ? error.message : String(error),
    })),
  ]);
  const current = weekRecord?.experimentId
    ? (experiments.find((e) => e.id === weekRecord.experimentId) ??
      (await ledger.getExperiment(weekRecord.experimentId)))
    : undefined;
  return {
    week,
    ...(weekRecord ? { weekRecord } : {}),
    ...(current ? { current } : {}),
    live: experiments.filter((e) => !FINAL_STATUSES.has(e.status) && e.id !== current?.id),
    ...(nextKickoff ? { nextKickoff: nextKickoff.toISOString() } : {}),
    ...(meta.lastKickoffAt ? { lastKickoff: meta.lastKickoffAt } : {}),
    ranking,
    timeline: verdictTimeline(decided),
    recent: decided.slice(0, 20),
  };
}
