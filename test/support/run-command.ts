import { Command } from "commander";

export interface CommandRun {
  out: string;
  err: string;
  code: number;
}

/**
 * Runs one CLI command in process: `register` adds it to a fresh program, writing its output
 * through the `stdout` it is given; what it writes to stderr (a user error's one line) is
 * captured too. The exit code is the one `runAction` set.
 */
export async function runCommand(
  register: (program: Command, stdout: (text: string) => void) => void,
  args: string[],
): Promise<CommandRun> {
  const run = { out: "", err: "", code: 0 };
  const program = new Command("shiploop").exitOverride();
  register(program, (text) => {
    run.out += text;
  });
  const write = process.stderr.write;
  process.stderr.write = ((text: string) => {
    run.err += text;
    return true;
  }) as typeof process.stderr.write;
  try {
    await program.parseAsync(["node", "shiploop", ...args]);
  } finally {
    process.stderr.write = write;
  }
  return { ...run, code: Number(process.exitCode ?? 0) };
}
