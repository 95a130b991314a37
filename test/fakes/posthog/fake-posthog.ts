import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { readEventsFile } from "../../../src/adapters/files/read-events-file.js";
import type { Evaluator, StoredEvent } from "./hogql-evaluators.js";
import { HogQLError } from "./hogql-evaluators.js";

export interface RecordedQuery {
  name: unknown;
  text: string;
  values: Record<string, unknown>;
  status: number;
}

export interface ReceivedBatch {
  gzip: boolean;
  apiKey: unknown;
  batch: Record<string, unknown>[];
}

export interface FakePostHogOptions {
  projectId?: string;
  personalApiKey?: string;
  projectApiKey?: string;
  /** How long each query takes, so concurrency can be observed. */
  queryDelayMs?: number;
}

/**
 * A loopback PostHog: the query API (`POST /api/projects/:id/query/`, HogQL answered by
 * evaluators keyed by the exact query text, computed over the events it holds) and the capture
 * endpoint posthog-node posts to (`POST /batch/`, gzip or plain JSON). Strict: a wrong key is
 * 401, another project 403, an unknown query text a 400 HogQL error; every call is recorded.
 * `failNext` queues 429/500 answers to exercise retries.
 */
export class FakePostHog {
  readonly events: StoredEvent[] = [];
  readonly queries: RecordedQuery[] = [];
  readonly batches: ReceivedBatch[] = [];
  readonly unexpected: string[] = [];
  readonly projectId: string;
  readonly personalApiKey: string;
  readonly projectApiKey: string;
  /** Most queries in flight at once. */
  maxConcurrent = 0;
  private inFlight = 0;
  private readonly answers = new Map<string, Evaluator>();
  private readonly faults: { status: number; retryAfter?: string }[] = [];
  private server: Server | undefined;
  url = "";

  constructor(private readonly options: FakePostHogOptions = {}) {
    this.projectId = options.projectId ?? "4242";
    this.personalApiKey = options.personalApiKey ?? "phx_fake_personal_key";
    this.projectApiKey = options.projectApiKey ?? "phc_fake_project_key";
  }

  static async start(options?: FakePostHogOptions): Promise<FakePostHog> {
    const fake = new FakePostHog(options);
    fake.server = createServer((req, res) => {
      fake.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    await new Promise<void>((resolve) => fake.server?.listen(0, "127.0.0.1", resolve));
    const { port } = fake.server.address() as AddressInfo;
    fake.url = `http://127.0.0.1:${port}`;
    return fake;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Ingests events as PostHog would hold them (well-formed ones only). */
  addEvents(
    events: Iterable<{
      event: string;
      distinct_id: string;
      timestamp: string | number;
      properties?: Record<string, unknown>;
    }>,
  ): void {
    for (const e of events) {
      const ms = typeof e.timestamp === "number" ? e.timestamp : Date.parse(e.timestamp);
      this.events.push({
        uuid: randomUUID(),
        event: e.event,
        distinct_id: e.distinct_id,
        ms,
        properties: e.properties ?? {},
      });
    }
  }

  /** Ingests the good lines of an events file; bad lines never reach PostHog. */
  async loadEventsFile(path: string): Promise<void> {
    for await (const line of readEventsFile(path)) {
      if (!line.ok) continue;
      const e = line.event;
      this.events.push({
        uuid: randomUUID(),
        event: e.event,
        distinct_id: e.distinctId,
        ms: e.time,
        properties: e.properties,
      });
    }
  }

  answer(entries: Iterable<[string, Evaluator]>): void {
    for (const [text, evaluate] of entries) this.answers.set(text, evaluate);
  }

  failNext(status: number, times = 1, retryAfter?: string): void {
    for (let i = 0; i < times; i++)
      this.faults.push(retryAfter === undefined ? { status } : { status, retryAfter });
  }

  /** Every event posthog-node delivered, across batches. */
  get captured(): Record<string, unknown>[] {
    return this.batches.flatMap((b) => b.batch);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (req.method === "POST" && path === "/batch/") return this.capture(req, raw, res);
    const match = /^\/api\/projects\/([^/]+)\/query\/$/.exec(path);
    if (req.method === "POST" && match) return this.query(req, match[1] as string, raw, res);
    this.unexpected.push(`${req.method} ${req.url}`);
    send(res, 404, { type: "invalid_request", detail: "Not found." });
  }

  private capture(req: IncomingMessage, raw: Buffer, res: ServerResponse): void {
    const gzip = req.headers["content-encoding"] === "gzip";
    const body = JSON.parse((gzip ? gunzipSync(raw) : raw).toString("utf8")) as {
      api_key?: unknown;
      batch?: Record<string, unknown>[];
    };
    if (body.api_key !== this.projectApiKey) {
      send(res, 401, { type: "authentication_error", detail: "Project API key invalid." });
      return;
    }
    if (!Array.isArray(body.batch)) {
      send(res, 400, { type: "validation_error", detail: "batch must be an array" });
      return;
    }
    this.batches.push({ gzip, apiKey: body.api_key, batch: body.batch });
    send(res, 200, { status: 1 });
  }

  private async query(
    req: IncomingMessage,
    project: string,
    raw: Buffer,
    res: ServerResponse,
  ): Promise<void> {
    const body = JSON.parse(raw.toString("utf8")) as {
      query?: { kind?: unknown; query?: unknown; values?: Record<string, unknown>; name?: unknown };
    };
    const text = typeof body.query?.query === "string" ? body.query.query : "";
    const record: RecordedQuery = {
      name: body.query?.name,
      text,
      values: body.query?.values ?? {},
      status: 200,
    };
    this.queries.push(record);
    const reply = (status: number, payload: unknown, headers?: Record<string, string>) => {
      record.status = status;
      send(res, status, payload, headers);
    };
    if (req.headers.authorization !== `Bearer ${this.personalApiKey}`) {
      return reply(401, {
        type: "authentication_error",
        code: "authentication_failed",
        detail: "Incorrect authentication credentials.",
      });
    }
    if (project !== this.projectId) {
      return reply(403, {
        type: "authentication_error",
        code: "permission_denied",
        detail: "You don't have access to the project.",
      });
    }
    const fault = this.faults.shift();
    if (fault) {
      return reply(
        fault.status,
        { type: "server_error", detail: "Try again later." },
        fault.retryAfter === undefined ? undefined : { "retry-after": fault.retryAfter },
      );
    }
    if (body.query?.kind !== "HogQLQuery") {
      return reply(400, {
        type: "validation_error",
        code: "parse_error",
        detail: "kind must be HogQLQuery",
      });
    }
    this.inFlight += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.inFlight);
    try {
      if (this.options.queryDelayMs)
        await new Promise((r) => setTimeout(r, this.options.queryDelayMs));
      const evaluate = this.answers.get(text);
      if (!evaluate) {
        return reply(400, {
          type: "validation_error",
          code: "query_error",
          detail: "Syntax error at line 1, column 0: the fake PostHog does not know this query",
        });
      }
      const table = evaluate(record.values, this.events);
      return reply(200, { ...table, types: table.columns.map(() => "String"), hogql: text });
    } catch (error) {
      if (error instanceof HogQLError) {
        return reply(400, { type: "validation_error", code: "query_error", detail: error.message });
      }
      throw error;
    } finally {
      this.inFlight -= 1;
    }
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers?: Record<string, string>,
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(payload));
}
