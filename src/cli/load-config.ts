import { readConfigFile } from "../adapters/files/read-config-file.js";
import { buildConfig, type Config } from "../config/config.js";
import { registerSecrets } from "./run-action.js";

/** Reads the config once for a command: environment plus the optional config file. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = buildConfig(env, readConfigFile(env.SHIPLOOP_CONFIG));
  registerSecrets(config.secrets);
  return config;
}
