import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { ConfigError, type ConfigFile } from "../../config/config.js";

export const DEFAULT_CONFIG_FILE = "shiploop.config.yaml";

/**
 * Reads the optional YAML config file. A missing default file is fine; a missing file that
 * was asked for by `SHIPLOOP_CONFIG`, a syntax error or a non-mapping is a `ConfigError`.
 */
export function readConfigFile(explicitPath: string | undefined): ConfigFile | undefined {
  const path = explicitPath || DEFAULT_CONFIG_FILE;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && !explicitPath) return undefined;
    throw new ConfigError(
      "SHIPLOOP_CONFIG",
      `SHIPLOOP_CONFIG: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  const doc = parseDocument(text);
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = syntax.linePos?.[0];
    const where = pos ? `:${pos.line}:${pos.col}` : "";
    throw new ConfigError(
      "SHIPLOOP_CONFIG",
      `${path}${where}: YAML syntax: ${syntax.message.split("\n")[0]}`,
    );
  }
  const data: unknown = doc.toJS() ?? {};
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ConfigError("SHIPLOOP_CONFIG", `${path}: expected a mapping of settings`);
  }
  return { path, data: data as Record<string, unknown> };
}
