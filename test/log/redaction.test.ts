import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, REDACTED, scrubSecrets } from "../../src/log/create-logger.js";

/** A logger writing into memory; `lines()` parses what it wrote. */
function capture(secrets: string[] = []) {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger({ level: "debug", secrets, destination });
  const text = () => chunks.join("");
  const lines = () =>
    text()
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, text, lines };
}

const TOKEN = "ghp_0123456789abcdefTOKEN";

describe("createLogger redaction", () => {
  it("redacts secret fields at several depths and keeps the rest", () => {
    const { logger, lines } = capture();
    logger.info(
      {
        week: "2026-W49",
        experimentId: "onboarding-three-steps",
        token: TOKEN,
        github: { token: TOKEN, repo: "acme/webapp" },
        request: {
          auth: { apiKey: TOKEN, scheme: "bearer" },
          headers: { authorization: `token ${TOKEN}` },
        },
        ports: { statsig: { client: { secret: TOKEN, url: "https://statsigapi.net" } } },
        config: { githubToken: TOKEN, hubspotAccessToken: TOKEN, prefix: "shiploop" },
      },
      "shipping",
    );
    const [line] = lines();
    expect(line).toMatchObject({
      msg: "shipping",
      week: "2026-W49",
      experimentId: "onboarding-three-steps",
      token: REDACTED,
      github: { token: REDACTED, repo: "acme/webapp" },
      request: {
        auth: { apiKey: REDACTED, scheme: "bearer" },
        headers: { authorization: REDACTED },
      },
      ports: { statsig: { client: { secret: REDACTED, url: "https://statsigapi.net" } } },
      config: { githubToken: REDACTED, hubspotAccessToken: REDACTED, prefix: "shiploop" },
    });
    expect(JSON.stringify(line)).not.toContain(TOKEN);
  });

  it("masks a configured secret inside a message string", () => {
    const { logger, text, lines } = capture([TOKEN]);
    logger.warn({ note: `header was Bearer ${TOKEN}` }, `calling GitHub with ${TOKEN}`);
    expect(text()).not.toContain(TOKEN);
    expect(lines()[0]).toMatchObject({
      msg: `calling GitHub with ${REDACTED}`,
      note: `header was Bearer ${REDACTED}`,
    });
  });

  it("masks a configured secret inside an error's message and stack", () => {
    const { logger, text, lines } = capture([TOKEN]);
    const error = new Error(`request failed: Authorization: token ${TOKEN}`);
    logger.error({ err: error, experimentId: "x" }, "ship failed");
    expect(text()).not.toContain(TOKEN);
    const err = lines()[0]?.err as { message: string; stack: string };
    expect(err.message).toBe(`request failed: Authorization: token ${REDACTED}`);
    expect(err.stack).toContain(REDACTED);
    expect(err.stack).toContain("redaction.test.ts");
  });

  it("masks a secret that needs JSON escaping", () => {
    const key = '-----BEGIN KEY-----\nabc"def\n-----END KEY-----';
    const { logger, text } = capture([key]);
    logger.info(`loaded ${key}`);
    expect(text()).not.toContain('abc\\"def');
    expect(text()).toContain(REDACTED);
  });

  it("leaves non-secret fields and messages intact", () => {
    const { logger, lines } = capture([TOKEN]);
    logger.info({ week: "2026-W49", count: 3, tokens: 7, nested: { ok: true } }, "kickoff");
    expect(lines()[0]).toMatchObject({
      level: 30,
      service: "shiploop",
      msg: "kickoff",
      week: "2026-W49",
      count: 3,
      tokens: 7,
      nested: { ok: true },
    });
  });

  it("child loggers keep redacting and carry their bindings", () => {
    const { logger, lines } = capture([TOKEN]);
    logger.child({ week: "2026-W49", jobId: "cycle-2026-W49" }).info({ token: TOKEN }, "step");
    expect(lines()[0]).toMatchObject({
      week: "2026-W49",
      jobId: "cycle-2026-W49",
      token: REDACTED,
    });
  });
});

describe("scrubSecrets", () => {
  it("replaces every occurrence and ignores secrets too short to mask safely", () => {
    expect(scrubSecrets(`a ${TOKEN} b ${TOKEN}`, [TOKEN])).toBe(`a ${REDACTED} b ${REDACTED}`);
    expect(scrubSecrets("abc abc", ["abc"])).toBe("abc abc");
  });
});
