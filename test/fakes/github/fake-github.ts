import { createVerify, type KeyObject, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeRepo } from "./fake-repo.js";
import { HANDLERS, REQUIRED_PERMISSION, type Reply } from "./handlers.js";
import { validateRequest } from "./openapi-validator.js";

export interface RecordedCall {
  method: string;
  /** Decoded path, e.g. `/repos/acme/webapp/git/ref/heads/main`. */
  path: string;
  operationId?: string;
  query: Record<string, string>;
  body?: unknown;
  status: number;
}

export type FaultKind = "5xx" | "403" | "429" | "secondary-rate-limit";

interface Fault {
  kind: FaultKind;
  remaining: number;
  operationId?: string;
}

export interface FakeGitHubOptions {
  /** Accepted tokens → the login they belong to. */
  tokens?: Record<string, string>;
  /** A GitHub App whose JWTs (RS256, checked with this public key) are accepted. */
  app?: { id: string; publicKey: KeyObject | string };
}

const APP_OPERATIONS = new Set([
  "apps/get-repo-installation",
  "apps/create-installation-access-token",
]);

/**
 * A loopback GitHub for tests: node:http on 127.0.0.1 with a random port. Every request is
 * checked against GitHub's OpenAPI description before an in-memory repository answers it;
 * a request the real API would reject (unknown path, wrong method, a missing or mistyped field)
 * is answered as GitHub would and recorded in `failures`, so the test fails. Every call is
 * recorded in order, and faults can be injected for the next N requests.
 */
export class FakeGitHub {
  readonly calls: RecordedCall[] = [];
  readonly failures: string[] = [];
  private readonly repos = new Map<string, FakeRepo>();
  private readonly tokens: Map<string, string>;
  private readonly faults: Fault[] = [];
  private server: Server | undefined;
  url = "";

  constructor(private readonly options: FakeGitHubOptions = {}) {
    this.tokens = new Map(Object.entries(options.tokens ?? {}));
  }

  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    await fake.listen();
    return fake;
  }

  /** The repository `owner/name`, created empty on first use. */
  repo(fullName: string): FakeRepo {
    let repo = this.repos.get(fullName);
    if (!repo) {
      repo = new FakeRepo(fullName);
      this.repos.set(fullName, repo);
    }
    return repo;
  }

  /** The next `count` requests (to `operationId`, when given) fail this way. */
  failNext(kind: FaultKind, count = 1, operationId?: string): void {
    this.faults.push({ kind, remaining: count, ...(operationId ? { operationId } : {}) });
  }

  /** `operationId`s of the recorded calls, in order: the shape tests assert on. */
  operations(from = 0): string[] {
    return this.calls.slice(from).map((c) => c.operationId ?? `${c.method} ${c.path}`);
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.failures.push(`fake crashed on ${req.method} ${req.url}: ${String(error)}`);
        send(res, { status: 500, body: { message: "fake crashed" } });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", this.url);
    const text = await readBody(req);
    const call: RecordedCall = {
      method,
      path: decodeURIComponent(url.pathname),
      query: Object.fromEntries(url.searchParams),
      status: 0,
    };
    this.calls.push(call);
    const reply = (r: Reply) => {
      call.status = r.status;
      send(res, r);
    };
    let body: unknown;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
        call.body = body;
      } catch {
        this.failures.push(`${method} ${url.pathname}: body is not JSON`);
        return reply({ status: 400, body: { message: "Problems parsing JSON" } });
      }
    }
    const validation = validateRequest(method, url.pathname, url.searchParams, body);
    if (!validation.ok) {
      this.failures.push(
        `${validation.status === 404 ? "unmatched" : "invalid"}: ${method} ${call.path}: ${validation.reason}`,
      );
      return reply({ status: validation.status, body: { message: validation.reason } });
    }
    const { operationId, params } = validation.route;
    call.operationId = operationId;

    const fault = this.takeFault(operationId);
    if (fault) return reply(faultReply(fault));

    const caller = this.authenticate(req, operationId);
    if (!caller) return reply({ status: 401, body: { message: "Bad credentials", status: "401" } });

    if (APP_OPERATIONS.has(operationId)) return reply(this.appOperation(operationId, params));

    const repo = this.repos.get(`${params.owner}/${params.repo}`);
    if (!repo) return reply({ status: 404, body: { message: "Not Found", status: "404" } });
    const needed = REQUIRED_PERMISSION[operationId];
    if (needed) {
      const [permission, level] = needed;
      const granted = repo.permissions[permission];
      if (granted === "none" || (level === "write" && granted !== "write")) {
        return reply({
          status: 403,
          body: { message: "Resource not accessible by personal access token", status: "403" },
          headers: { "x-accepted-github-permissions": `${permission}=${level}` },
        });
      }
    }
    const handler = HANDLERS[operationId];
    if (!handler) {
      this.failures.push(
        `unimplemented: ${operationId} (${method} ${call.path}) exists in GitHub's API but not in the fake`,
      );
      return reply({
        status: 501,
        body: { message: `the fake does not implement ${operationId}` },
      });
    }
    return reply(
      handler({ repo, params, query: url.searchParams, body, login: caller, apiUrl: this.url }),
    );
  }

  private takeFault(operationId: string): Fault | undefined {
    const fault = this.faults.find((f) => !f.operationId || f.operationId === operationId);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault;
  }

  /** The caller's login, or undefined when the credentials are not accepted for this operation. */
  private authenticate(req: IncomingMessage, operationId: string): string | undefined {
    const header = req.headers.authorization ?? "";
    const [scheme, credential = ""] = header.split(" ");
    if (APP_OPERATIONS.has(operationId)) {
      return scheme?.toLowerCase() === "bearer" && this.verifyJwt(credential) ? "app" : undefined;
    }
    return this.tokens.get(credential);
  }

  private verifyJwt(jwt: string): boolean {
    const app = this.options.app;
    const [header, payload, signature] = jwt.split(".");
    if (!app || !header || !payload || !signature) return false;
    const ok = createVerify("RSA-SHA256")
      .update(`${header}.${payload}`)
      .verify(app.publicKey, Buffer.from(signature, "base64url"));
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      iss?: unknown;
    };
    return ok && String(claims.iss) === app.id;
  }

  private appOperation(operationId: string, params: Record<string, string>): Reply {
    if (operationId === "apps/get-repo-installation") {
      const repo = this.repos.get(`${params.owner}/${params.repo}`);
      if (!repo) return { status: 404, body: { message: "Not Found", status: "404" } };
      return {
        status: 200,
        body: {
          id: repo.installationId,
          account: { login: repo.owner },
          app_id: Number(this.options.app?.id),
        },
      };
    }
    const token = `ghs_${randomBytes(12).toString("hex")}`;
    this.tokens.set(token, "shiploop[bot]");
    return {
      status: 201,
      body: {
        token,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        permissions: { contents: "write", pull_requests: "write", issues: "write" },
        repository_selection: "all",
      },
    };
  }
}

function faultReply(fault: Fault): Reply {
  switch (fault.kind) {
    case "5xx":
      return { status: 502, body: { message: "Server Error" } };
    case "403":
      return {
        status: 403,
        body: { message: "Must have admin rights to Repository.", status: "403" },
      };
    case "429":
      return {
        status: 429,
        body: { message: "Too Many Requests" },
        headers: { "retry-after": "1" },
      };
    case "secondary-rate-limit":
      return {
        status: 403,
        body: {
          message:
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
          status: "403",
        },
        headers: { "retry-after": "1" },
      };
  }
}

function send(res: ServerResponse, reply: Reply): void {
  const text = reply.body === undefined ? "" : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    "content-type": "application/json; charset=utf-8",
    "x-github-request-id": `FAKE:${randomBytes(4).toString("hex")}`,
    ...reply.headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
