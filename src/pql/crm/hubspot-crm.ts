import { Client } from "@hubspot/api-client";
import type { AssociationSpecAssociationCategoryEnum } from "@hubspot/api-client/lib/codegen/crm/objects/notes/models/AssociationSpec.js";
import type { FilterOperatorEnum } from "@hubspot/api-client/lib/codegen/crm/objects/notes/models/Filter.js";
import type {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from "@hubspot/api-client/lib/codegen/crm/properties/models/PropertyCreate.js";
import { TransientError, UserError } from "../../domain/errors.js";
import { countApiCall } from "../../observability/metrics-registry.js";
import {
  type BatchOutcome,
  CrmRateLimited,
  CrmRequestRefused,
  type NoteInput,
  type PqlCrm,
} from "./pql-crm.js";

/** Note → contact, HubSpot-defined. */
const NOTE_TO_CONTACT = 202;

// The client's enums are compiled CommonJS; their wire values are used as plain strings.
const HUBSPOT_DEFINED = "HUBSPOT_DEFINED" as AssociationSpecAssociationCategoryEnum;
const CONTAINS_TOKEN = "CONTAINS_TOKEN" as FilterOperatorEnum;

export const PQL_PROPERTIES = [
  { name: "pql_score", label: "PQL score", type: "number", fieldType: "number" },
  { name: "pql_reason", label: "PQL reason", type: "string", fieldType: "textarea" },
  { name: "pql_qualified_at", label: "PQL qualified at", type: "datetime", fieldType: "date" },
] as const;

export interface HubSpotOptions {
  accessToken: string;
  basePath?: string;
  /** 429 without Retry-After: how long a TEN_SECONDLY_ROLLING breach waits (other policies: a tenth). */
  rollingWindowMs?: number;
}

/**
 * HubSpot CRM v3 through `@hubspot/api-client`, one attempt per call: retries and backoff are
 * the CRM queue's business (BullMQ), so the client's own 10 s × attempt sleeps are off.
 */
export function hubspotCrm(options: HubSpotOptions): PqlCrm {
  const client = new Client({
    accessToken: options.accessToken,
    ...(options.basePath ? { basePath: options.basePath } : {}),
    numberOfApiCallRetries: 1,
  });
  const rollingWindowMs = options.rollingWindowMs ?? 10_000;
  const call = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      const result = await run();
      countApiCall("hubspot", "ok");
      return result;
    } catch (error) {
      countApiCall("hubspot", "error");
      throw translate(what, error, rollingWindowMs);
    }
  };

  return {
    async ensureProperties() {
      for (const p of PQL_PROPERTIES) {
        try {
          await call(`create property ${p.name}`, () =>
            client.crm.properties.coreApi.create("contacts", {
              name: p.name,
              label: p.label,
              type: p.type as PropertyCreateTypeEnum,
              fieldType: p.fieldType as PropertyCreateFieldTypeEnum,
              groupName: "contactinformation",
              description: "Set by shiploop PQL routing",
            }),
          );
        } catch (error) {
          // 409: the property exists already, which is what we want.
          if (error instanceof CrmRequestRefused && error.status === 409) continue;
          throw error;
        }
      }
    },

    async upsertContacts(inputs) {
      const response = await call("upsert contacts", () =>
        client.crm.contacts.batchApi.upsert({
          inputs: inputs.map((i) => ({
            id: i.email,
            idProperty: "email",
            properties: i.properties,
          })),
        }),
      );
      const out: BatchOutcome = { ok: new Map(), refused: new Map() };
      for (const result of response.results) {
        const email = result.properties.email?.toLowerCase();
        if (email) out.ok.set(email, result.id);
      }
      const errors = "errors" in response ? (response.errors as BatchError[]) : [];
      refuseMissing(
        inputs.map((i) => i.email.toLowerCase()),
        out,
        errors,
      );
      return out;
    },

    async createNotes(inputs: readonly NoteInput[]) {
      const response = await call("create notes", () =>
        client.crm.objects.notes.batchApi.create({
          inputs: inputs.map((n) => ({
            properties: { hs_timestamp: new Date(n.timestamp).toISOString(), hs_note_body: n.body },
            associations: n.contactIds.map((id) => ({
              to: { id },
              types: [
                {
                  associationCategory: HUBSPOT_DEFINED,
                  associationTypeId: NOTE_TO_CONTACT,
                },
              ],
            })),
          })),
        }),
      );
      const out: BatchOutcome = { ok: new Map(), refused: new Map() };
      for (const result of response.results) {
        const marker = inputs.find((n) =>
          result.properties.hs_note_body?.includes(n.marker),
        )?.marker;
        if (marker) out.ok.set(marker, result.id);
      }
      const errors = "errors" in response ? (response.errors as BatchError[]) : [];
      refuseMissing(
        inputs.map((n) => n.marker),
        out,
        errors,
      );
      return out;
    },

    async findNote(marker) {
      const response = await call("search notes", () =>
        client.crm.objects.notes.searchApi.doSearch({
          filterGroups: [
            {
              filters: [{ propertyName: "hs_note_body", operator: CONTAINS_TOKEN, value: marker }],
            },
          ],
          properties: ["hs_note_body"],
          limit: 1,
        }),
      );
      return response.results[0]?.id;
    },
  };
}

interface BatchError {
  status?: string;
  message?: string;
  context?: Record<string, string[]>;
}

/** Inputs absent from a batch's results were refused: say why, from the batch's errors. */
function refuseMissing(keys: string[], out: BatchOutcome, errors: BatchError[]): void {
  const reason =
    errors
      .map((e) => e.message)
      .filter(Boolean)
      .join("; ") || "not in HubSpot's results";
  for (const key of keys) {
    if (out.ok.has(key)) continue;
    const own = errors.find((e) =>
      Object.values(e.context ?? {}).some((v) => v.some((x) => x.toLowerCase() === key)),
    );
    out.refused.set(key, { status: 207, reason: own?.message ?? reason });
  }
}

interface ApiFailure {
  code?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function translate(what: string, error: unknown, rollingWindowMs: number): Error {
  const failure = error as ApiFailure;
  const status = typeof failure?.code === "number" ? failure.code : 0;
  const body = parseBody(failure?.body);
  const message =
    typeof body?.message === "string" ? body.message : String((error as Error)?.message ?? error);
  if (status === 429) {
    const policy = typeof body?.policyName === "string" ? body.policyName : undefined;
    const retryAfter = Number(failure.headers?.["retry-after"]);
    const wait =
      Number.isFinite(retryAfter) && retryAfter > 0
        ? retryAfter * 1000
        : policy === "TEN_SECONDLY_ROLLING"
          ? rollingWindowMs
          : Math.ceil(rollingWindowMs / 10);
    return new CrmRateLimited(wait, policy);
  }
  if (status === 401 || status === 403) {
    return new UserError(
      "hubspot-auth",
      `HubSpot refused the access token on ${what} (${status}): ${message}; check HUBSPOT_ACCESS_TOKEN and its crm scopes`,
    );
  }
  if (status >= 400 && status < 500) return new CrmRequestRefused(status, message);
  return new TransientError(
    "hubspot-unavailable",
    `HubSpot ${what} failed (${status || "network"}): ${message}`,
    { cause: error },
  );
}

function parseBody(body: unknown): Record<string, unknown> | undefined {
  if (typeof body === "string") {
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return { message: body };
    }
  }
  return body && typeof body === "object" ? (body as Record<string, unknown>) : undefined;
}
