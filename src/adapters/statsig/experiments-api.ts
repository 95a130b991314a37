import { PermanentError } from "../../domain/errors.js";
import type { StatsigConsoleClient } from "./console-client.js";
import { type Experiment, ExperimentSchema, type Gate, GateSchema } from "./console-schemas.js";

const path = (id: string) => encodeURIComponent(id);

export function parseGate(data: unknown, gate: string): Gate {
  const parsed = GateSchema.safeParse(data);
  if (!parsed.success) {
    throw new PermanentError(
      "statsig-bad-response",
      `Statsig answered with a gate ${gate} shiploop cannot read: ${parsed.error.issues[0]?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}

export function parseExperiment(data: unknown, name: string): Experiment {
  const parsed = ExperimentSchema.safeParse(data);
  if (!parsed.success) {
    throw new PermanentError(
      "statsig-bad-response",
      `Statsig answered with an experiment ${name} shiploop cannot read: ${parsed.error.issues[0]?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}

/** The gate, or undefined when the project has none of that id. */
export async function readGate(
  client: StatsigConsoleClient,
  gate: string,
): Promise<Gate | undefined> {
  const res = await client.request("GET", `/gates/${path(gate)}`, {
    subject: `gate ${gate}`,
    accept: [404],
  });
  return res.status === 404 ? undefined : parseGate(res.data, gate);
}

/**
 * The experiment by its name: its id first (Statsig derives ids from names), then the
 * paginated list, matching the name or the id.
 */
export async function findExperiment(
  client: StatsigConsoleClient,
  name: string,
): Promise<Experiment | undefined> {
  const subject = `experiment ${name}`;
  const direct = await client.request("GET", `/experiments/${path(name)}`, {
    subject,
    accept: [404],
  });
  if (direct.status !== 404) return parseExperiment(direct.data, name);
  const all = await client.list("/experiments", subject);
  const match = all.find((item) => {
    const e = item as { name?: unknown; id?: unknown };
    return e.name === name || e.id === name;
  });
  return match === undefined ? undefined : parseExperiment(match, name);
}

export function experimentPath(id: string, action?: string): string {
  return `/experiments/${path(id)}${action ? `/${action}` : ""}`;
}

export function gatePath(id: string, action?: string): string {
  return `/gates/${path(id)}${action ? `/${action}` : ""}`;
}
