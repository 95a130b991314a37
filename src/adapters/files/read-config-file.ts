import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
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
      `SHIPLOOP_CONFIG: cannot read ${path} (${(error as NodeJS.ErrnoException).code}); expected a readable YAML file`,
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  const syntax = doc.errors[0];
  if (syntax) {
    const { line, col } = lineCounter.linePos(syntax.pos[0]);
    throw new ConfigError(
      "SHIPLOOP_CONFIG",
      `${path}:${line}:${col}: YAML syntax: ${syntax.message.split("\n")[0]}`,
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError("SHIPLOOP_CONFIG", `${path}: YAML: ${message.split("\n")[0]}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ConfigError("SHIPLOOP_CONFIG", `${path}: expected a mapping of settings`);
  }
  return { path, data: data as Record<string, unknown> };
}
