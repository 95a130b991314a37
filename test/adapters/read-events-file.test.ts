import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { type EventLine, readEventsFile } from "../../src/adapters/files/read-events-file.js";
import { UserError } from "../../src/domain/errors.js";

const dir = mkdtempSync(join(tmpdir(), "shiploop-events-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TEXT = [
  '{"event":"signed_up","distinct_id":"u1","timestamp":"2026-01-05T09:00:00Z","properties":{"plan":"free"}}',
  "",
  "{not json",
  '{"event":"activated","distinct_id":"u1","timestamp":"2026-01-05T09:04:00Z"}',
  '{"event":"activated","timestamp":"2026-01-05T09:04:00Z"}',
  '{"event":"activated","distinct_id":"u2","timestamp":"soon"}\r',
  '{"event":"viewed_pricing","distinct_id":7,"timestamp":1767603840000}',
].join("\n");

async function collect(path: string): Promise<EventLine[]> {
  const out: EventLine[] = [];
  for await (const line of readEventsFile(path)) out.push(line);
  return out;
}

const summary = (lines: EventLine[]) =>
  lines.map((l) =>
    l.ok ? `${l.event.event}:${l.event.distinctId}:${l.event.time}` : `${l.line}:${l.reason}`,
  );

const EXPECTED = [
  `signed_up:u1:${Date.parse("2026-01-05T09:00:00Z")}`,
  "3:not-json",
  `activated:u1:${Date.parse("2026-01-05T09:04:00Z")}`,
  "5:missing-distinct-id",
  "6:bad-timestamp",
  "viewed_pricing:7:1767603840000",
];

describe("readEventsFile", () => {
  it.each([
    { name: "plain NDJSON", file: "events.ndjson", data: Buffer.from(TEXT) },
    { name: "gzipped NDJSON", file: "events.ndjson.gz", data: gzipSync(TEXT) },
  ])(
    "reads $name line by line, numbering bad lines and skipping blank ones",
    async ({ file, data }) => {
      const path = join(dir, file);
      writeFileSync(path, data);
      const lines = await collect(path);
      expect(summary(lines)).toEqual(EXPECTED);
      const first = lines[0];
      expect(first?.ok && first.event.properties).toEqual({ plan: "free" });
    },
  );

  it("names a missing file and the setting that points at it", async () => {
    const path = join(dir, "nope.ndjson");
    await expect(collect(path)).rejects.toThrow(UserError);
    await expect(collect(path)).rejects.toThrow(
      `events file ${path} does not exist (SHIPLOOP_EVENTS_FILE or --events)`,
    );
  });

  it("reports a file that is not gzip as a user error", async () => {
    const path = join(dir, "broken.ndjson.gz");
    writeFileSync(path, TEXT);
    await expect(collect(path)).rejects.toThrow(/is not valid gzip \(Z_DATA_ERROR\)/);
  });

  it("reports a truncated gzip file as a user error", async () => {
    const path = join(dir, "truncated.ndjson.gz");
    const whole = gzipSync(TEXT.repeat(50));
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(collect(path)).rejects.toThrow(/is not valid gzip/);
  });
});
