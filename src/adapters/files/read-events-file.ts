import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { EventNames } from "../../config/event-names.js";
import type { DiagnoseSettings } from "../../diagnose/diagnose-settings.js";
import { FunnelAccumulator } from "../../diagnose/funnel-accumulator.js";
import {
  type BadEventReason,
  type ProductEvent,
  parseProductEvent,
} from "../../diagnose/product-event.js";
import { UserError } from "../../domain/errors.js";
import type { FunnelSnapshot } from "../../domain/funnel-snapshot.js";

export type EventLine =
  | { ok: true; event: ProductEvent }
  | { ok: false; line: number; reason: BadEventReason };

/**
 * Streams an NDJSON events file (one `{event, distinct_id, timestamp, properties}` per line),
 * gunzipping it when the name ends in `.gz`. Yields every non-blank line, good or bad: a bad
 * line (not JSON, missing fields, bad timestamp) is yielded with its number and reason so the
 * caller can count it, and reading goes on. Memory stays flat whatever the file's size.
 *
 * Throws `UserError` when the file cannot be opened or is not valid gzip: that is one clear
 * message, not a count of bad lines.
 */
export async function* readEventsFile(path: string): AsyncGenerator<EventLine> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UserError("events-file", `events file ${path} is not a file`);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === "ENOENT" ? "does not exist" : `cannot be read (${code})`;
    throw new UserError(
      "events-file",
      `events file ${path} ${problem} (SHIPLOOP_EVENTS_FILE or --events)`,
    );
  }
  const file = createReadStream(path);
  let input: Readable = file;
  if (path.endsWith(".gz")) {
    const gunzip = createGunzip();
    // A read error on the file must reach the line reader, or the loop would wait forever.
    file.on("error", (error) => gunzip.destroy(error));
    input = file.pipe(gunzip);
  }
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  try {
    for await (const text of lines) {
      number += 1;
      if (text.trim() === "") continue;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        yield { ok: false, line: number, reason: "not-json" };
        continue;
      }
      const parsed = parseProductEvent(raw);
      yield parsed.ok ? parsed : { ok: false, line: number, reason: parsed.reason };
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === "string" && code.startsWith("Z_")) {
      throw new UserError(
        "events-file",
        `events file ${path} is not valid gzip (${code}) near line ${number + 1}`,
      );
    }
    throw error;
  } finally {
    lines.close();
    file.destroy();
  }
}

/**
 * Diagnoses an events file in one streaming pass: good lines feed the funnel, bad lines are
 * counted by reason in `snapshot.events`. The kickoff job's funnel source and the CLI share it.
 */
export async function diagnoseEventsFile(
  path: string,
  settings: DiagnoseSettings,
  names: EventNames,
): Promise<FunnelSnapshot> {
  const funnel = new FunnelAccumulator(settings, names);
  for await (const line of readEventsFile(path)) {
    if (line.ok) funnel.addEvent(line.event);
    else funnel.addBad(line.reason);
  }
  return funnel.snapshot();
}
