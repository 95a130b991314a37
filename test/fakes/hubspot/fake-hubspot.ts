import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeCall {
  method: string;
  path: string;
  body: unknown;
  status: number;
  at: number;
}

export interface FakeContact {
  id: string;
  properties: Record<string, string>;
}

export interface FakeNote {
  id: string;
  properties: Record<string, string>;
  contactIds: string[];
  at: number;
}

interface Injected {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Only requests whose path includes this (default: any). */
  path?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CORE_CONTACT_PROPERTIES = new Set(["email", "firstname", "lastname", "company", "phone"]);

/**
 * A loopback HubSpot CRM v3 that is strict like the real one: bearer auth, 100 requests per
 * 10 s (429 TEN_SECONDLY_ROLLING with rate-limit headers), input validation (400), 409 for an
 * existing property, and every call recorded. Failures can be injected (`inject`), and emails
 * can be made to fail inside a batch (`poison`, a 207 multi-status).
 */
export class FakeHubSpot {
  readonly calls: FakeCall[] = [];
  readonly contacts = new Map<string, FakeContact>();
  readonly notes: FakeNote[] = [];
  readonly properties = new Set<string>();
  readonly unmatched: string[] = [];
  private readonly injected: Injected[] = [];
  private readonly poisoned = new Set<string>();
  /** Ids of `contacts`, kept as they are created: a note batch checks its associations here. */
  private readonly contactIds = new Set<string>();
  private windowStart = 0;
  private windowCount = 0;
  private nextId = 1000;
  private server: Server | undefined;
  url = "";

  constructor(
    readonly token = "fake-hubspot-token",
    private readonly limit = { max: 100, intervalMs: 10_000 },
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: "error", message: String(error) }));
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The next `times` matching requests answer `status` (e.g. 429, 503, 400). */
  inject(failure: Injected, times = 1): void {
    for (let i = 0; i < times; i++) this.injected.push(failure);
  }

  /** Upserts of this email fail inside the batch (207 with an error for it). */
  poison(email: string): void {
    this.poisoned.add(email.toLowerCase());
  }

  callsTo(pathPart: string): FakeCall[] {
    return this.calls.filter((c) => c.path.includes(pathPart));
  }

  notesFor(email: string): FakeNote[] {
    const contact = this.contacts.get(email.toLowerCase());
    return contact ? this.notes.filter((n) => n.contactIds.includes(contact.id)) : [];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body: unknown = text ? JSON.parse(text) : undefined;
    const path = (req.url ?? "").split("?")[0] ?? "";
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      this.calls.push({ method: req.method ?? "", path, body, status, at: Date.now() });
      res.writeHead(status, {
        "content-type": "application/json",
        ...this.rateHeaders(),
        ...headers,
      });
      res.end(payload === undefined ? "" : JSON.stringify(payload));
    };

    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return send(401, {
        status: "error",
        message: "Authentication credentials not found.",
        category: "INVALID_AUTHENTICATION",
      });
    }
    const now = Date.now();
    if (now - this.windowStart >= this.limit.intervalMs) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    this.windowCount += 1;
    if (this.windowCount > this.limit.max) {
      return send(429, {
        status: "error",
        message: "You have reached your ten_secondly_rolling limit.",
        errorType: "RATE_LIMIT",
        correlationId: "fake",
        policyName: "TEN_SECONDLY_ROLLING",
      });
    }
    const at = this.injected.findIndex((i) => !i.path || path.includes(i.path));
    if (at >= 0) {
      const [failure] = this.injected.splice(at, 1);
      if (failure) {
        return send(
          failure.status,
          failure.body ?? {
            status: "error",
            message: `injected ${failure.status}`,
            ...(failure.status === 429 ? { policyName: "TEN_SECONDLY_ROLLING" } : {}),
          },
          failure.headers,
        );
      }
    }

    const route = `${req.method} ${path}`;
    if (route === "POST /crm/v3/properties/contacts") return this.createProperty(body, send);
    if (route === "POST /crm/v3/objects/contacts/batch/upsert") return this.upsert(body, send);
    if (route === "POST /crm/v3/objects/notes/batch/create") return this.createNotes(body, send);
    if (route === "POST /crm/v3/objects/notes") {
      return this.createNotes({ inputs: [body] }, (s, p) =>
        send(s, s === 201 ? (p as { results: unknown[] }).results[0] : p),
      );
    }
    if (route === "POST /crm/v3/objects/notes/search") return this.searchNotes(body, send);
    this.unmatched.push(route);
    return send(404, {
      status: "error",
      message: `fake HubSpot has no route ${route}`,
      category: "OBJECT_NOT_FOUND",
    });
  }

  private rateHeaders(): Record<string, string> {
    return {
      "x-hubspot-ratelimit-max": String(this.limit.max),
      "x-hubspot-ratelimit-remaining": String(Math.max(0, this.limit.max - this.windowCount)),
      "x-hubspot-ratelimit-interval-milliseconds": String(this.limit.intervalMs),
    };
  }

  private createProperty(body: unknown, send: Send): unknown {
    const p = body as Record<string, unknown> | undefined;
    const missing = ["name", "label", "type", "fieldType", "groupName"].filter(
      (k) => typeof p?.[k] !== "string",
    );
    if (missing.length > 0) return send(400, validation(`missing ${missing.join(", ")}`));
    const name = p?.name as string;
    if (this.properties.has(name)) {
      return send(409, {
        status: "error",
        message: `Property named '${name}' already exists.`,
        category: "OBJECT_ALREADY_EXISTS",
      });
    }
    this.properties.add(name);
    return send(201, {
      ...p,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      hidden: false,
      modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
    });
  }

  private upsert(body: unknown, send: Send): unknown {
    const inputs = (body as { inputs?: unknown })?.inputs;
    if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > 100) {
      return send(400, validation("inputs must hold 1 to 100 objects"));
    }
    for (const input of inputs as {
      id?: string;
      idProperty?: string;
      properties?: Record<string, string>;
    }[]) {
      if (input.idProperty !== "email" || typeof input.id !== "string")
        return send(400, validation("idProperty must be email with an id"));
      if (!EMAIL.test(input.id)) {
        return send(
          400,
          validation(
            `Property values were not valid: [{"isValid":false,"message":"Email address ${input.id} is invalid","error":"INVALID_EMAIL","name":"email"}]`,
          ),
        );
      }
      for (const name of Object.keys(input.properties ?? {})) {
        if (!CORE_CONTACT_PROPERTIES.has(name) && !this.properties.has(name)) {
          return send(
            400,
            validation(
              `Property values were not valid: [{"isValid":false,"message":"Property \\"${name}\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"${name}"}]`,
            ),
          );
        }
      }
    }
    const now = new Date().toISOString();
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputs as { id: string; properties?: Record<string, string> }[]) {
      const email = input.id.toLowerCase();
      if (this.poisoned.has(email)) {
        errors.push({
          status: "error",
          category: "VALIDATION_ERROR",
          message: `Contact ${email} cannot be updated`,
          context: { ids: [email] },
        });
        continue;
      }
      const existing = this.contacts.get(email);
      const contact = existing ?? { id: String(this.nextId++), properties: {} };
      contact.properties = { ...contact.properties, ...input.properties, email };
      this.contacts.set(email, contact);
      this.contactIds.add(contact.id);
      results.push({
        id: contact.id,
        properties: contact.properties,
        createdAt: now,
        updatedAt: now,
        archived: false,
        new: !existing,
      });
    }
    const payload = {
      status: "COMPLETE",
      results,
      startedAt: now,
      completedAt: now,
      ...(errors.length ? { errors, numErrors: errors.length } : {}),
    };
    return send(errors.length ? 207 : 200, payload);
  }

  private createNotes(body: unknown, send: Send): unknown {
    const inputs = (body as { inputs?: unknown })?.inputs;
    if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > 100) {
      return send(400, validation("inputs must hold 1 to 100 objects"));
    }
    type NoteIn = {
      properties?: Record<string, string>;
      associations?: {
        to?: { id?: string };
        types?: { associationCategory?: string; associationTypeId?: number }[];
      }[];
    };
    for (const input of inputs as NoteIn[]) {
      if (!input.properties?.hs_timestamp) return send(400, validation("hs_timestamp is required"));
      for (const a of input.associations ?? []) {
        const type = a.types?.[0];
        if (type?.associationCategory !== "HUBSPOT_DEFINED" || type.associationTypeId !== 202) {
          return send(400, validation("note → contact associations need HUBSPOT_DEFINED type 202"));
        }
        if (!a.to?.id || !this.contactIds.has(a.to.id))
          return send(400, validation(`contact ${a.to?.id} does not exist`));
      }
    }
    const now = new Date().toISOString();
    const results = (inputs as NoteIn[]).map((input) => {
      const note: FakeNote = {
        id: String(this.nextId++),
        properties: input.properties ?? {},
        contactIds: (input.associations ?? []).map((a) => a.to?.id ?? ""),
        at: Date.now(),
      };
      this.notes.push(note);
      return {
        id: note.id,
        properties: note.properties,
        createdAt: now,
        updatedAt: now,
        archived: false,
      };
    });
    return send(201, { status: "COMPLETE", results, startedAt: now, completedAt: now });
  }

  private searchNotes(body: unknown, send: Send): unknown {
    const filter = (
      body as {
        filterGroups?: {
          filters?: { propertyName?: string; operator?: string; value?: string }[];
        }[];
      }
    )?.filterGroups?.[0]?.filters?.[0];
    if (filter?.propertyName !== "hs_note_body" || filter.operator !== "CONTAINS_TOKEN") {
      return send(400, validation("the fake supports hs_note_body CONTAINS_TOKEN only"));
    }
    // A search index matches whole tokens; how it splits text at punctuation is not ours to
    // rely on, so the fake splits at every non-alphanumeric character, the strictest reading.
    const hits = this.notes.filter((n) =>
      (n.properties.hs_note_body ?? "").split(/[^A-Za-z0-9]+/).includes(filter.value ?? ""),
    );
    const now = new Date().toISOString();
    return send(200, {
      total: hits.length,
      results: hits.map((n) => ({
        id: n.id,
        properties: n.properties,
        createdAt: now,
        updatedAt: now,
        archived: false,
      })),
    });
  }
}

type Send = (status: number, payload: unknown, headers?: Record<string, string>) => void;

function validation(message: string) {
  return { status: "error", message, category: "VALIDATION_ERROR", correlationId: "fake" };
}
