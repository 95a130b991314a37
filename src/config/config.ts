import { type DiagnoseSettings, DiagnoseSettingsSchema } from "../diagnose/diagnose-settings.js";
import { UserError } from "../domain/errors.js";
import { type EventNames, EventNamesSchema } from "./event-names.js";
import { SETTINGS, type Setting, type SettingValues } from "./settings.js";

export type Config = SettingValues & {
  events: EventNames;
  /** How the funnel is diagnosed: windows, the PQL rule, the free-to-paid model, benchmarks. */
  diagnose: DiagnoseSettings;
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
  const settings = Object.entries(SETTINGS) as [string, Setting<unknown>][];
  // Known before any check, so that no message below can quote a secret.
  const secrets = settings.flatMap(([, s]) => {
    const value = s.secret ? env[s.env] : undefined;
    return value ? [value] : [];
  });
  const fail = (setting: string, message: string): never => {
    throw new ConfigError(setting, maskSecrets(message, secrets));
  };
  if (file) checkFileKeys(file, fail);
  const values: Record<string, unknown> = {};
  for (const [key, setting] of settings) {
    const fromEnv = env[setting.env];
    const fromFile = setting.fileKey && file ? lookup(file.data, setting.fileKey) : undefined;
    const useEnv = fromEnv !== undefined && fromEnv !== "";
    const raw = useEnv ? fromEnv : fromFile;
    const label =
      !useEnv && fromFile !== undefined && file ? `${file.path}: ${setting.fileKey}` : setting.env;
    const input = typeof raw === "number" || typeof raw === "boolean" ? String(raw) : raw;
    const parsed = setting.schema.safeParse(input);
    if (!parsed.success) {
      const problem = parsed.error.issues[0]?.message ?? "is invalid";
      const shown =
        setting.secret || typeof input !== "string" ? "" : ` (got "${hideCredentials(input)}")`;
      fail(setting.env, `${label} ${problem}${shown}`);
    }
    values[key] = parsed.data;
  }
  return {
    ...(values as SettingValues),
    events: parseEventNames(file),
    diagnose: parseDiagnoseSettings(file),
    secrets,
  };
}

/** `redis://user:pass@host` → `redis://user:***@host`: a URL's password is never echoed. */
function hideCredentials(value: string): string {
  return value.replace(/(\/\/[^/@\s:]*:)[^/@\s]*@/, "$1***@").replace(/\s+/g, " ");
}

function maskSecrets(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) out = out.split(secret).join("[redacted]");
  return out;
}

function parseEventNames(file?: ConfigFile): EventNames {
  const parsed = EventNamesSchema.safeParse(file?.data.events ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const keys = Object.keys(EventNamesSchema.shape).join(", ");
  if (issue?.code === "unrecognized_keys") {
    const field = `events.${issue.keys[0]}`;
    throw new ConfigError(
      field,
      `${file?.path}: unknown event "${field}"; expected one of ${keys}`,
    );
  }
  const field = ["events", ...(issue?.path ?? [])].join(".");
  const problem = issue?.path.length
    ? "is not an event name; expected a non-empty string"
    : `is not a mapping; expected keys ${keys}`;
  throw new ConfigError(field, `${file?.path}: ${field} ${problem}`);
}

function parseDiagnoseSettings(file?: ConfigFile): DiagnoseSettings {
  const parsed = DiagnoseSettingsSchema.safeParse(file?.data.diagnose ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = ["diagnose", ...(issue?.path ?? [])].map(String).join(".");
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

/** Keys the config file may hold (`http: { port }` → `http.port`); anything else is likely a typo. */
function knownFileKeys(): Set<string> {
  const keys = new Set(["events", "diagnose"]);
  for (const setting of Object.values(SETTINGS) as Setting<unknown>[]) {
    if (setting.fileKey) keys.add(setting.fileKey);
  }
  return keys;
}

function checkFileKeys(file: ConfigFile, fail: (setting: string, message: string) => never): void {
  const known = knownFileKeys();
  const groups = new Set([...known].filter((k) => k.includes(".")).map((k) => k.split(".")[0]));
  const topLevel = [...new Set([...known].map((k) => k.split(".")[0] as string))].sort();
  for (const [key, value] of Object.entries(file.data)) {
    if (!topLevel.includes(key)) {
      fail(key, `${file.path}: unknown setting "${key}"; expected one of ${topLevel.join(", ")}`);
    }
    if (!groups.has(key)) continue;
    const inGroup = [...known].filter((k) => k.startsWith(`${key}.`)).sort();
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      fail(key, `${file.path}: ${key} is not a mapping; expected keys ${inGroup.join(", ")}`);
    }
    for (const sub of Object.keys(value as object)) {
      if (!known.has(`${key}.${sub}`)) {
        fail(
          `${key}.${sub}`,
          `${file.path}: unknown setting "${key}.${sub}"; expected one of ${inGroup.join(", ")}`,
        );
      }
    }
  }
}
