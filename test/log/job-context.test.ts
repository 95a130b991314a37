import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log/create-logger.js";
import { jobContext } from "../../src/log/job-context.js";

function capture() {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger({ level: "info", destination });
  const raw = () => chunks.join("").split("\n").filter(Boolean);
  return { logger, raw, lines: () => raw().map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const JOB = {
  jobId: "ship-2026-W49--x",
  job: "ship",
  week: "2026-W49",
  experimentId: "2026-W49--x",
};

describe("log lines inside a job", () => {
  it("carry the job's week and experiment from any logger, across awaits", async () => {
    const { logger, lines } = capture();
    const github = logger.child({ adapter: "github" });
    await jobContext.run(JOB, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      github.info({ repo: "acme/webapp" }, "pull request opened");
    });
    github.info("outside any job");
    const [inside, outside] = lines();
    expect(inside).toMatchObject({ adapter: "github", repo: "acme/webapp", ...JOB });
    expect(outside).not.toHaveProperty("week");
    expect(outside).not.toHaveProperty("experimentId");
  });

  it("do not repeat a field the logger is already bound to", () => {
    const { logger, raw } = capture();
    const jobLogger = logger.child(JOB);
    jobContext.run(JOB, () => jobLogger.info("daily check: continue"));
    const [line] = raw();
    expect(line?.match(/"week"/g)).toHaveLength(1);
    expect(line?.match(/"experimentId"/g)).toHaveLength(1);
  });
});
