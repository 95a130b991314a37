import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { downloadConfigSpecs } from "./download-config-specs.js";
import {
  type FakeExperiment,
  type FakeGate,
  FakeProject,
  type FakeRule,
  fakeId,
  idFromName,
} from "./fake-project.js";

export interface RecordedCall {
  method: string;
  /** Path without the `/console/v1` prefix for Console API calls; the full path for the SDK's. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** The STATSIG-API-VERSION header the request carried (Console API only). */
  apiVersion?: string;
  api: "console" | "sdk";
  at: number;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const CONSOLE = "/console/v1";
/** The one Console API version there is; shiploop's schemas are its shapes. */
export const SUPPORTED_API_VERSION = "20240601";
const ok = (message: string, data?: unknown): Reply => ({
  status: 200,
  body: data === undefined ? { message } : { message, data },
});
const fail = (status: number, message: string): Reply => ({ status, body: { status, message } });

/**
 * A loopback Statsig: the Console API endpoints shiploop uses over an in-memory project, and
 * the server SDK's `GET /v2/download_config_specs/{key}.json` serving the current gates, so
 * the real SDK evaluates them. It checks the key, rejects what Statsig would reject, answers
 * 429 on demand, and records every call so a test can assert exactly which were made.
 */
export class FakeStatsig {
  readonly project = new FakeProject();
  readonly calls: RecordedCall[] = [];
  /** Pulse answers by experiment id or gate id, in whichever field style the test wants. */
  readonly pulse = new Map<string, unknown>();
  readonly exposures = new Map<string, unknown>();
  /** What the SDK sees instead of the console's percentages, by gate id. */
  readonly sdkSeesPercent = new Map<string, number>();
  /** The clock of `RecordedCall.at`: a test with a virtual clock sets its own. */
  now: () => number = Date.now;
  private rateLimited = 0;
  private retryAfter: string | undefined;
  private server: Server | undefined;
  private base = "";

  constructor(
    readonly apiKey = "console-fake-key-0123456789",
    readonly serverSecret = "secret-fake-server-0123456789",
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.base = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get consoleUrl(): string {
    return `${this.base}${CONSOLE}`;
  }

  get specsUrl(): string {
    return `${this.base}/v2/download_config_specs`;
  }

  get logEventUrl(): string {
    return `${this.base}/v1/log_event`;
  }

  /** The next `count` Console API requests answer 429. */
  rateLimitNext(count: number, retryAfterSeconds?: number): void {
    this.rateLimited = count;
    this.retryAfter = retryAfterSeconds === undefined ? undefined : String(retryAfterSeconds);
  }

  consoleCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.api === "console");
  }

  /** Accepted Console API writes, as `METHOD path`. */
  writes(): string[] {
    return this.consoleCalls()
      .filter((c) => c.method !== "GET" && c.status < 300)
      .map((c) => `${c.method} ${c.path}`);
  }

  gate(id: string): FakeGate | undefined {
    return this.project.gates.get(id);
  }

  experiment(id: string): FakeExperiment | undefined {
    return this.project.experiments.get(id);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.base);
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const isConsole = url.pathname.startsWith(CONSOLE);
    const reply = isConsole
      ? this.console(req, url, body)
      : this.sdk(req.method ?? "GET", url.pathname);
    this.calls.push({
      method: req.method ?? "GET",
      path: decodeURIComponent(isConsole ? url.pathname.slice(CONSOLE.length) : url.pathname),
      query: Object.fromEntries(url.searchParams),
      body,
      status: reply.status,
      ...(isConsole ? { apiVersion: header(req, "statsig-api-version") } : {}),
      api: isConsole ? "console" : "sdk",
      at: this.now(),
    });
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(JSON.stringify(reply.body));
  }

  private sdk(method: string, path: string): Reply {
    const match = /^\/v2\/download_config_specs\/([^/]+)\.json$/.exec(path);
    if (method !== "GET" || !match) return fail(404, "Not Found");
    if (decodeURIComponent(match[1] ?? "") !== this.serverSecret) {
      return fail(401, "Invalid server secret key");
    }
    return {
      status: 200,
      body: downloadConfigSpecs(this.project.gates.values(), this.sdkSeesPercent),
    };
  }

  private console(req: IncomingMessage, url: URL, body: unknown): Reply {
    const key = req.headers["statsig-api-key"];
    if (key !== this.apiKey) {
      // Like Statsig, quote the key that was sent: the client must never pass this on.
      return fail(
        401,
        `This endpoint only accepts an active CONSOLE key, but an invalid key was sent. Key: ${String(key)}`,
      );
    }
    // Stricter than Statsig today on purpose: its docs call the header optional "for now, … in
    // the future, this will be required", and without it the answer is whichever version
    // Statsig defaults to, not the 20240601 shapes shiploop parses. A client must pin it.
    const version = header(req, "statsig-api-version");
    if (version !== SUPPORTED_API_VERSION) {
      return fail(
        400,
        version === undefined
          ? `STATSIG-API-VERSION header is required (supported: ${SUPPORTED_API_VERSION})`
          : `Unsupported STATSIG-API-VERSION ${version} (supported: ${SUPPORTED_API_VERSION})`,
      );
    }
    if (this.rateLimited > 0) {
      this.rateLimited -= 1;
      return {
        ...fail(429, "Too Many Requests"),
        ...(this.retryAfter ? { headers: { "retry-after": this.retryAfter } } : {}),
      };
    }
    const method = req.method ?? "GET";
    const parts = url.pathname
      .slice(CONSOLE.length)
      .split("/")
      .filter(Boolean)
      .map(decodeURIComponent);
    const [kind, id, action, ruleId, sub] = parts;
    if (kind === "gates") return this.gates(method, id, action, ruleId, sub, body);
    if (kind === "experiments") return this.experiments(method, id, action, url, body);
    return fail(404, "Not Found. The requested resource could not be found.");
  }

  private gates(
    method: string,
    id: string | undefined,
    action: string | undefined,
    ruleId: string | undefined,
    sub: string | undefined,
    body: unknown,
  ): Reply {
    const gates = this.project.gates;
    if (!id) {
      if (method !== "POST") return fail(405, "Method Not Allowed");
      const problem = invalidGateBody(body, true);
      if (problem) return fail(400, problem);
      const input = body as { name: string; isEnabled?: boolean; rules: FakeRule[] };
      if (gates.has(idFromName(input.name))) return fail(400, "Name is already in use");
      const gate = this.project.addGate({ ...input, isEnabled: input.isEnabled ?? true });
      return { status: 201, body: { message: "Gate created successfully.", data: gate } };
    }
    const gate = gates.get(id);
    if (!gate) return fail(404, "Gate not found.");
    if (!action) {
      if (method === "GET") return ok("Gate read successfully.", gate);
      if (method !== "POST") return fail(405, "Method Not Allowed");
      const problem = invalidGateBody(body, false);
      if (problem) return fail(400, problem);
      const input = body as { rules: FakeRule[]; isEnabled?: boolean; name?: string };
      gate.version += 1;
      gate.rules = input.rules.map((rule) => {
        const existing = gate.rules.find((r) => r.baseID === rule.baseID || r.id === rule.id);
        return this.project.materialiseRule({ ...rule, baseID: existing?.baseID }, gate.version);
      });
      if (typeof input.isEnabled === "boolean") gate.isEnabled = input.isEnabled;
      gate.lastModifiedTime = Date.now();
      return ok("Gate updated successfully.", gate);
    }
    if (action === "rules" && ruleId && sub === "pulse_results" && method === "GET") {
      if (!gate.rules.some((r) => r.id === ruleId)) return fail(404, "Rule not found.");
      const pulse = this.pulse.get(gate.id);
      return pulse === undefined
        ? fail(400, "Pulse results are not available yet")
        : ok("Successfully loaded Pulse Results", pulse);
    }
    if (method !== "PUT") return fail(405, "Method Not Allowed");
    if (action === "launch") gate.status = "Launched";
    else if (action === "disable") gate.isEnabled = false;
    else if (action === "enable") gate.isEnabled = true;
    else return fail(404, "Not Found. The requested resource could not be found.");
    gate.version += 1;
    return ok("Gate updated successfully.", gate);
  }

  private experiments(
    method: string,
    id: string | undefined,
    action: string | undefined,
    url: URL,
    body: unknown,
  ): Reply {
    const experiments = this.project.experiments;
    if (!id) {
      if (method === "GET") return this.list([...experiments.values()], url);
      if (method !== "POST") return fail(405, "Method Not Allowed");
      const problem = invalidExperimentBody(body);
      if (problem) return fail(400, problem);
      const input = body as FakeExperiment & { duration?: number; sequentialTesting?: boolean };
      const newId = idFromName(input.name);
      const taken = [...experiments.values()].some(
        (e) => e.id === newId || e.name.toLowerCase() === input.name.toLowerCase(),
      );
      if (taken) return fail(400, "Name is already in use");
      const experiment: FakeExperiment = {
        id: newId,
        name: input.name,
        hypothesis: input.hypothesis ?? "",
        idType: input.idType ?? "userID",
        status: "setup",
        groups: input.groups.map((g) => ({
          ...g,
          id: fakeId("grp"),
          parameterValues: g.parameterValues ?? {},
        })),
        primaryMetrics: input.primaryMetrics,
        secondaryMetrics: input.secondaryMetrics ?? [],
        duration: input.duration ?? null,
        sequentialTesting: input.sequentialTesting ?? false,
        launchedGroupID: null,
        decisionReason: "",
        allocation: 100,
      };
      experiments.set(newId, experiment);
      return {
        status: 201,
        body: { message: "Experiment created successfully.", data: experiment },
      };
    }
    const experiment = experiments.get(id);
    if (!experiment) return fail(404, "Experiment not found.");
    if (!action)
      return method === "GET"
        ? ok("Experiment read successfully.", experiment)
        : fail(405, "Method Not Allowed");
    if (method === "GET" && action === "pulse_results") {
      const control = url.searchParams.get("control");
      const test = url.searchParams.get("test");
      const ids = experiment.groups.map((g) => g.id);
      if (!control || !test || !ids.includes(control) || !ids.includes(test)) {
        return fail(400, "control and test must be group ids of the experiment");
      }
      const pulse = this.pulse.get(experiment.id);
      return pulse === undefined
        ? fail(400, "Pulse results are not available yet")
        : ok("Successfully loaded Pulse Results", pulse);
    }
    if (method === "GET" && action === "cumulative_exposures") {
      return ok(
        "Successfully loaded Cumulative Exposures",
        this.exposures.get(experiment.id) ?? [],
      );
    }
    if (method !== "PUT") return fail(405, "Method Not Allowed");
    const input = (body ?? {}) as { id?: string; decisionReason?: string };
    if (action === "start") {
      if (experiment.status !== "setup")
        return fail(400, `Experiment cannot be started from status ${experiment.status}`);
      experiment.status = "active";
      return ok("Experiment started successfully.");
    }
    if (action === "make_decision") {
      if (experiment.status !== "active")
        return fail(400, `Experiment is not active (${experiment.status})`);
      if (!input.id || !experiment.groups.some((g) => g.id === input.id))
        return fail(400, "id must be a group id of the experiment");
      if (typeof input.decisionReason !== "string") return fail(400, "decisionReason is required");
      experiment.status = "decision_made";
      experiment.launchedGroupID = input.id;
      experiment.decisionReason = input.decisionReason;
      return ok("Decision made for Experiment.");
    }
    if (action === "abandon") {
      if (experiment.status !== "active" && experiment.status !== "setup")
        return fail(400, `Experiment cannot be abandoned from status ${experiment.status}`);
      experiment.status = "abandoned";
      experiment.decisionReason = input.decisionReason ?? "";
      return ok("Experiment abandoned.");
    }
    return fail(404, "Not Found. The requested resource could not be found.");
  }

  private list(items: unknown[], url: URL): Reply {
    const limit = Number(url.searchParams.get("limit") ?? "100");
    const page = Number(url.searchParams.get("page") ?? "1");
    const data = items.slice((page - 1) * limit, page * limit);
    const more = page * limit < items.length;
    return {
      status: 200,
      body: {
        message: "Experiments listed successfully.",
        data,
        pagination: {
          itemsPerPage: limit,
          pageNumber: page,
          totalItems: items.length,
          nextPage: more ? `${CONSOLE}/experiments?page=${page + 1}&limit=${limit}` : null,
          previousPage: null,
          all: `${CONSOLE}/experiments`,
        },
      },
    };
  }
}

function invalidGateBody(body: unknown, creating: boolean): string | undefined {
  if (typeof body !== "object" || body === null) return "body must be a JSON object";
  const b = body as Record<string, unknown>;
  if (creating && typeof b.name !== "string") return "name is required";
  if (!Array.isArray(b.rules)) return "rules must be an array";
  for (const [i, rule] of (b.rules as unknown[]).entries()) {
    const r = rule as Record<string, unknown>;
    if (typeof r?.name !== "string") return `rules[${i}].name is required`;
    const pct = r.passPercentage;
    if (typeof pct !== "number" || pct < 0 || pct > 100)
      return `rules[${i}].passPercentage must be 0..100`;
    if (!Array.isArray(r.conditions)) return `rules[${i}].conditions must be an array`;
  }
  const names = (b.rules as { name: string }[]).map((r) => r.name);
  if (new Set(names).size !== names.length) return "rule names must be unique";
  return undefined;
}

function invalidExperimentBody(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return "body must be a JSON object";
  const b = body as Record<string, unknown>;
  if (typeof b.name !== "string" || !/^[a-zA-Z0-9_\- ]{3,100}$/.test(b.name))
    return "name must be 3..100 letters, digits, '_', '-' or spaces";
  if (!Array.isArray(b.groups) || b.groups.length < 2)
    return "groups must have at least two groups";
  const sizes = (b.groups as { size?: unknown }[]).map((g) => g.size);
  if (sizes.some((s) => typeof s !== "number")) return "every group needs a size";
  if (Math.abs((sizes as number[]).reduce((a, s) => a + s, 0) - 100) > 1e-9)
    return "group sizes must add up to 100";
  // Stricter than Statsig on purpose: without a primary metric Pulse may have no result for
  // the metric shiploop's verdict reads, so every experiment shiploop creates must name one.
  if (b.primaryMetrics === undefined)
    return "primaryMetrics is required (shiploop's verdict reads the primary metric)";
  return (
    invalidMetricList(b.primaryMetrics, "primaryMetrics", 1) ??
    (b.secondaryMetrics === undefined
      ? undefined
      : invalidMetricList(b.secondaryMetrics, "secondaryMetrics", 0))
  );
}

/** Statsig's metric types (auto-generated and custom), as a scorecard reference names them. */
const METRIC_TYPES = new Set([
  "event_count",
  "event_dau",
  "event_user",
  "user",
  "sum",
  "mean",
  "ratio",
  "funnel",
  "composite",
  "composite_sum",
  "event_count_custom",
  "user_warehouse",
]);

function invalidMetricList(list: unknown, field: string, min: number): string | undefined {
  if (!Array.isArray(list)) return `${field} must be an array of { name, type }`;
  if (list.length < min) return `${field} must name at least ${min} metric`;
  for (const [i, entry] of list.entries()) {
    const m = entry as Record<string, unknown> | null;
    if (typeof m !== "object" || m === null) return `${field}[${i}] must be { name, type }`;
    if (typeof m.name !== "string" || m.name.trim() === "")
      return `${field}[${i}].name must be a non-empty string`;
    if (typeof m.type !== "string" || !METRIC_TYPES.has(m.type))
      return `${field}[${i}].type must be one of ${[...METRIC_TYPES].join(", ")}`;
  }
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
