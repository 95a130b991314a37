import type { Redis } from "ioredis";
import type {
  CodeHost,
  PullRequestRef,
  PullRequestRequest,
  PullRequestState,
} from "../../domain/ports.js";
import { hashTaggedPrefix } from "../../ledger/ledger-keys.js";

interface StoredPullRequest extends PullRequestRef {
  itemId: string;
  title: string;
  body: string;
  files: string[];
  createdAtMs: number;
  closed?: boolean;
  comments: Record<string, string>;
}

/**
 * A pretend code host for sandbox mode: pull requests live in Redis (so a restarted or second
 * worker sees the same ones, as with GitHub) and count as merged once `mergeAfterMs` has passed.
 */
export class SandboxCodeHost implements CodeHost {
  readonly mode = "sandbox";
  private readonly key: string;
  private readonly sequenceKey: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly mergeAfterMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    const base = hashTaggedPrefix(prefix);
    this.key = `${base}:sandbox:pull-requests`;
    this.sequenceKey = `${base}:sandbox:pull-request-seq`;
  }

  async ensurePullRequest(request: PullRequestRequest): Promise<PullRequestRef> {
    const existing = await this.find(request.branch);
    if (existing) return toRef(existing);
    const repo = request.repo ?? "sandbox/product";
    const number = await this.redis.incr(this.sequenceKey);
    const stored: StoredPullRequest = {
      repo,
      number,
      url: `sandbox://${repo}/pull/${number}`,
      branch: request.branch,
      itemId: request.itemId,
      title: request.title,
      body: request.body,
      files: request.changes.map((c) => c.path),
      createdAtMs: this.now().getTime(),
      comments: {},
    };
    // HSETNX: when two workers race, the first one's pull request is the one that exists.
    const created = await this.redis.hsetnx(this.key, request.branch, JSON.stringify(stored));
    if (created) return toRef(stored);
    const winner = await this.find(request.branch);
    if (!winner) throw new Error(`sandbox pull request for ${request.branch} vanished`);
    return toRef(winner);
  }

  async pullRequestState(ref: PullRequestRef): Promise<PullRequestState> {
    const stored = await this.find(ref.branch);
    if (!stored || stored.closed) return "closed";
    return this.now().getTime() - stored.createdAtMs >= this.mergeAfterMs ? "merged" : "open";
  }

  async ensureComment(ref: PullRequestRef, marker: string, body: string): Promise<void> {
    const stored = await this.find(ref.branch);
    if (!stored) return;
    stored.comments[marker] = body;
    await this.redis.hset(this.key, ref.branch, JSON.stringify(stored));
  }

  /** Sandbox only: a reviewer closing the pull request without merging it. */
  async close(branch: string): Promise<void> {
    const stored = await this.find(branch);
    if (!stored) return;
    await this.redis.hset(this.key, branch, JSON.stringify({ ...stored, closed: true }));
  }

  async list(): Promise<StoredPullRequest[]> {
    const all = await this.redis.hvals(this.key);
    return all
      .map((json) => JSON.parse(json) as StoredPullRequest)
      .sort((a, b) => a.number - b.number);
  }

  private async find(branch: string): Promise<StoredPullRequest | undefined> {
    const json = await this.redis.hget(this.key, branch);
    return json ? (JSON.parse(json) as StoredPullRequest) : undefined;
  }
}

function toRef(stored: StoredPullRequest): PullRequestRef {
  return { repo: stored.repo, number: stored.number, url: stored.url, branch: stored.branch };
}
