import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * Checks a request against GitHub's own OpenAPI description (`@octokit/openapi`): the path and
 * method must exist, required path and query parameters must be present with the right type,
 * and the JSON body must fit the operation's schema (required fields, JSON types, enums,
 * one-of / any-of). What the real API would reject is rejected here, with the reason.
 */

interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  minItems?: number;
}

interface Parameter {
  $ref?: string;
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
}

interface Description {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

export interface Route {
  /** The OpenAPI path template, e.g. `/repos/{owner}/{repo}/git/refs/{ref}`. */
  template: string;
  operationId: string;
  params: Record<string, string>;
}

export type Validation =
  | { ok: true; route: Route }
  | { ok: false; status: 404 | 422; reason: string };

let cached: { spec: Description; routes: CompiledRoute[] } | undefined;

interface CompiledRoute {
  template: string;
  segments: string[];
  methods: Record<string, Operation>;
}

function load(): { spec: Description; routes: CompiledRoute[] } {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
  const spec = JSON.parse(readFileSync(file, "utf8")) as Description;
  const routes = Object.entries(spec.paths).map(([template, methods]) => ({
    template,
    segments: template.split("/").slice(1),
    methods,
  }));
  // Literal segments before templated ones: `/git/ref/{ref}` must not swallow `/git/refs`.
  routes.sort((a, b) => literalCount(b) - literalCount(a));
  cached = { spec, routes };
  return cached;
}

function literalCount(route: CompiledRoute): number {
  return route.segments.filter((s) => !s.startsWith("{")).length;
}

export function validateRequest(
  method: string,
  pathname: string,
  query: URLSearchParams,
  body: unknown,
): Validation {
  const { spec, routes } = load();
  const raw = pathname.split("/").slice(1);
  for (const route of routes) {
    const params = matchSegments(route.segments, raw);
    if (!params) continue;
    const operation = route.methods[method.toLowerCase()];
    if (!operation) continue;
    const problem =
      checkParameters(spec, operation, params, query) ?? checkBody(spec, operation, body);
    if (problem) return { ok: false, status: 422, reason: `${operation.operationId}: ${problem}` };
    return {
      ok: true,
      route: { template: route.template, operationId: operation.operationId, params },
    };
  }
  return { ok: false, status: 404, reason: `no operation ${method} ${pathname} in GitHub's API` };
}

function matchSegments(template: string[], raw: string[]): Record<string, string> | undefined {
  if (template.length !== raw.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i] ?? "";
    const r = raw[i] ?? "";
    if (t.startsWith("{") && t.endsWith("}")) {
      if (r === "") return undefined;
      params[t.slice(1, -1)] = decodeURIComponent(r);
    } else if (t !== r) {
      return undefined;
    }
  }
  return params;
}

function checkParameters(
  spec: Description,
  operation: Operation,
  pathParams: Record<string, string>,
  query: URLSearchParams,
): string | undefined {
  for (const declared of operation.parameters ?? []) {
    const p = resolve<Parameter>(spec, declared);
    const value =
      p.in === "path" ? pathParams[p.name] : p.in === "query" ? query.get(p.name) : undefined;
    if (p.in === "header") continue;
    if (value === undefined || value === null) {
      if (p.required) return `missing required ${p.in} parameter ${p.name}`;
      continue;
    }
    const schema = p.schema ? resolve<Schema>(spec, p.schema) : {};
    if (schema.type === "integer" && !/^-?\d+$/.test(value)) {
      return `${p.in} parameter ${p.name} is "${value}"; expected an integer`;
    }
    if (schema.enum && !schema.enum.includes(value)) {
      return `${p.in} parameter ${p.name} is "${value}"; expected one of ${schema.enum.join(", ")}`;
    }
  }
  return undefined;
}

function checkBody(spec: Description, operation: Operation, body: unknown): string | undefined {
  const declared = operation.requestBody;
  if (!declared) return undefined;
  if (body === undefined) return declared.required ? "missing request body" : undefined;
  const schema = declared.content?.["application/json"]?.schema;
  if (!schema) return undefined;
  return checkSchema(spec, schema, body, "body", 0);
}

/** A JSON schema subset, enough for GitHub's request bodies: a problem's path, or undefined. */
function checkSchema(
  spec: Description,
  declared: Schema,
  value: unknown,
  path: string,
  depth: number,
): string | undefined {
  if (depth > 12) return undefined;
  const schema = resolve<Schema>(spec, declared);
  if (value === null)
    return schema.nullable || schema.type === "null" ? undefined : `${path} is null`;
  if (schema.allOf) {
    for (const part of schema.allOf) {
      const problem = checkSchema(spec, part, value, path, depth + 1);
      if (problem) return problem;
    }
  }
  for (const alternatives of [schema.oneOf, schema.anyOf]) {
    if (!alternatives) continue;
    const problems = alternatives.map((alt) => checkSchema(spec, alt, value, path, depth + 1));
    if (!problems.includes(undefined)) return problems[0];
  }
  if (schema.enum && !schema.enum.includes(value)) {
    return `${path} is ${JSON.stringify(value)}; expected one of ${schema.enum.join(", ")}`;
  }
  if (schema.type && !hasType(value, schema.type)) {
    return `${path} is ${describe(value)}; expected ${schema.type}`;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      return `${path} has ${value.length} items; expected at least ${schema.minItems}`;
    }
    if (schema.items) {
      for (const [i, item] of value.entries()) {
        const problem = checkSchema(spec, schema.items, item, `${path}[${i}]`, depth + 1);
        if (problem) return problem;
      }
    }
    return undefined;
  }
  if (typeof value === "object" && (schema.properties || schema.required)) {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (record[key] === undefined) return `${path}.${key} is missing`;
    }
    for (const [key, child] of Object.entries(record)) {
      const property = schema.properties?.[key];
      if (property) {
        const problem = checkSchema(spec, property, child, `${path}.${key}`, depth + 1);
        if (problem) return problem;
      } else if (schema.additionalProperties === false) {
        return `${path}.${key} is not a known field`;
      }
    }
  }
  return undefined;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}

function describe(value: unknown): string {
  return Array.isArray(value) ? "an array" : `a ${typeof value} (${JSON.stringify(value)})`;
}

function resolve<T extends { $ref?: string }>(spec: Description, node: T): T {
  let current: T = node;
  for (let hops = 0; current.$ref && hops < 10; hops++) {
    const [, section, name] =
      current.$ref.replace("#/components/", "").match(/^([^/]+)\/(.+)$/) ?? [];
    const target = section && name ? spec.components[section]?.[name] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${current.$ref}`);
    current = target as T;
  }
  return current;
}
