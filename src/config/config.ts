import { UserError } from "../domain/errors.js";
import { type EventNames, EventNamesSchema } from "./event-names.js";
import { SETTINGS, type Setting, type SettingValues } from "./settings.js";

export type Config = SettingValues & {
  events: EventNames;
  /** The values of every secret setting that is set, so log and error output can mask them. */
  secrets: string[];
};

/** The parsed optional config file: where it came from and its top-level mapping. */
export interface ConfigFile {
  path: string;
  data: Record<string, unknown>;
}

export class ConfigError extends UserError {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super("config", message);
  }
}

/**
 * Builds the config from the environment and the optional config file; the environment wins.
 * Pure: the caller reads `process.env` and the file. Throws `ConfigError` with one line that
 * names the setting, what is wrong with its value and what is expected.
 */
export function buildConfig(env: Record<string, string | undefined>, file?: ConfigFile): Config {
  if (file) checkFileKeys(file);
  const values: Record<string, unknown> = {};
  const secrets: string[] = [];
  for (const [key, setting] of Object.entries(SETTINGS) as [string, Setting<unknown>][]) {
    const fromEnv = env[setting.env];
    const fromFile = setting.fileKey && file ? lookup(file.data, setting.fileKey) : undefined;
    const raw = fromEnv !== undefined && fromEnv !== "" ? fromEnv : fromFile;
    const label =
      fromEnv === undefined && fromFile !== undefined && file
        ? `${file.path}: ${setting.fileKey}`
        : setting.env;
    const input = typeof raw === "number" || typeof raw === "boolean" ? String(raw) : raw;
    const parsed = setting.schema.safeParse(input);
    if (!parsed.success) {
      const problem = parsed.error.issues[0]?.message ?? "is invalid";
      const shown = setting.secret || typeof input !== "string" ? "" : ` (got "${input}")`;
      throw new ConfigError(setting.env, `${label} ${problem}${shown}`);
    }
    values[key] = parsed.data;
    if (setting.secret && typeof parsed.data === "string") secrets.push(parsed.data);
  }
  return { ...(values as SettingValues), events: parseEventNames(file), secrets };
}

function parseEventNames(file?: ConfigFile): EventNames {
  const parsed = EventNamesSchema.safeParse(file?.data.events ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = ["events", ...(issue?.path ?? [])].join(".");
  throw new ConfigError(field, `${file?.path}: ${field} ${issue?.message ?? "is invalid"}`);
}

function lookup(data: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = data;
  for (const part of dotted.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Top-level keys the config file may hold; anything else is most likely a typo. */
function knownFileKeys(): Set<string> {
  const keys = new Set(["events"]);
  for (const setting of Object.values(SETTINGS) as Setting<unknown>[]) {
    if (setting.fileKey) keys.add(setting.fileKey.split(".")[0] as string);
  }
  return keys;
}

function checkFileKeys(file: ConfigFile): void {
  const known = knownFileKeys();
  for (const key of Object.keys(file.data)) {
    if (!known.has(key)) {
      throw new ConfigError(
        key,
        `${file.path}: unknown setting "${key}"; expected one of ${[...known].sort().join(", ")}`,
      );
    }
  }
}
