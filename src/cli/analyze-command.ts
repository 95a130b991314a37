import type { Command } from "commander";
import { UserError } from "../domain/errors.js";
import { analyze } from "../stats/analyze.js";
import { parseAnalyzeInput } from "../stats/analyze-input-schema.js";
import { EXIT_OK, runAction } from "./run-action.js";

export function registerAnalyze(program: Command): void {
  program
    .command("analyze")
    .description("stdin: JSON variant statistics → stdout: JSON analysis (see DESIGN.md)")
    .action(
      runAction(async () => {
        process.stdout.write(runAnalyze(await readStdin()));
        return EXIT_OK;
      }),
    );
}

/**
 * The whole command minus the streams: JSON text in, JSON text (one object and a newline) out.
 * Throws a UserError naming the JSON path of each problem in the input.
 */
export function runAnalyze(text: string): string {
  if (text.trim() === "") {
    throw new UserError("invalid-analyze-input", "stdin: expected one JSON object, got nothing");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new UserError("invalid-analyze-input", `stdin: not valid JSON (${detail})`);
  }
  return `${JSON.stringify(analyze(parseAnalyzeInput(value)), null, 2)}\n`;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
