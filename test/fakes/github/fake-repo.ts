import { createHash } from "node:crypto";

/** A file in a flat tree: path → mode and blob sha. */
export interface TreeEntry {
  mode: string;
  sha: string;
}

export interface FakeCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
}

export interface FakePull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  state: "open" | "closed";
  merged: boolean;
  labels: string[];
  reviewers: string[];
  author: string;
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  author: string;
}

export type Access = "none" | "read" | "write";
export interface Permissions {
  contents: Access;
  pull_requests: Access;
  issues: Access;
}

/**
 * An in-memory repository that behaves like git where shiploop relies on it: blobs have git's
 * own object ids, a tree's id depends only on its content (the same files give the same tree),
 * commits have parents, and refs point at commits.
 */
export class FakeRepo {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, Map<string, TreeEntry>>();
  readonly commits = new Map<string, FakeCommit>();
  readonly refs = new Map<string, string>();
  readonly pulls: FakePull[] = [];
  readonly comments: FakeComment[] = [];
  readonly labels = new Set<string>();
  /** Logins that may be asked for a review; undefined = anyone. */
  collaborators: Set<string> | undefined;
  permissions: Permissions = { contents: "write", pull_requests: "write", issues: "write" };
  private commitCounter = 0;

  constructor(
    readonly fullName: string,
    readonly installationId = 4242,
  ) {}

  get owner(): string {
    return this.fullName.split("/")[0] ?? "";
  }

  /** Commits `files` on top of `branch` (creating the branch when new) and returns the commit. */
  commitFiles(branch: string, files: Record<string, string | null>, message = "seed"): string {
    const head = this.refs.get(`heads/${branch}`);
    const base = head ? this.treeOf(head) : new Map<string, TreeEntry>();
    const next = new Map(base);
    for (const [path, content] of Object.entries(files)) {
      if (content === null) next.delete(path);
      else next.set(path, { mode: "100644", sha: this.putBlob(Buffer.from(content, "utf8")) });
    }
    const sha = this.putCommit(this.putTree(next), head ? [head] : [], message);
    this.refs.set(`heads/${branch}`, sha);
    return sha;
  }

  putBlob(content: Buffer): string {
    const sha = createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
    this.blobs.set(sha, content);
    return sha;
  }

  putTree(entries: Map<string, TreeEntry>): string {
    const sorted = [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const sha = createHash("sha1")
      .update(`tree ${JSON.stringify(sorted)}`)
      .digest("hex");
    this.trees.set(sha, new Map(sorted));
    return sha;
  }

  putCommit(tree: string, parents: string[], message: string): string {
    this.commitCounter += 1;
    const sha = createHash("sha1")
      .update(`commit ${tree} ${parents.join(",")} ${message} ${this.commitCounter}`)
      .digest("hex");
    this.commits.set(sha, { sha, tree, parents, message });
    return sha;
  }

  treeOf(commitSha: string): Map<string, TreeEntry> {
    const commit = this.commits.get(commitSha);
    const tree = commit ? this.trees.get(commit.tree) : undefined;
    if (!tree) throw new Error(`fake repo ${this.fullName}: no commit ${commitSha}`);
    return tree;
  }

  /** A commit sha, or a branch name → its head commit. */
  resolveCommit(ref: string): string | undefined {
    if (this.commits.has(ref)) return ref;
    return this.refs.get(`heads/${ref}`);
  }

  /** The files of a commit (or branch) as text, for assertions. */
  files(ref: string): Record<string, string> {
    const commit = this.resolveCommit(ref);
    if (!commit) throw new Error(`fake repo ${this.fullName}: no ref ${ref}`);
    const out: Record<string, string> = {};
    for (const [path, entry] of this.treeOf(commit)) {
      out[path] = this.blobs.get(entry.sha)?.toString("utf8") ?? "";
    }
    return out;
  }

  branchHead(branch: string): string | undefined {
    return this.refs.get(`heads/${branch}`);
  }

  /** Commits on `branch` that are not on `base` (first-parent walk). */
  commitsAhead(branch: string, base: string): FakeCommit[] {
    const stop = this.branchHead(base);
    const out: FakeCommit[] = [];
    let sha = this.branchHead(branch);
    while (sha && sha !== stop) {
      const commit = this.commits.get(sha);
      if (!commit) break;
      out.push(commit);
      sha = commit.parents[0];
    }
    return out;
  }

  openPulls(): FakePull[] {
    return this.pulls.filter((p) => p.state === "open");
  }

  pull(number: number): FakePull | undefined {
    return this.pulls.find((p) => p.number === number);
  }

  /** A reviewer merging the pull request: the base branch moves to the head's tree. */
  merge(number: number): void {
    const pull = this.pull(number);
    const head = pull ? this.branchHead(pull.head) : undefined;
    const base = pull ? this.branchHead(pull.base) : undefined;
    if (!pull || !head || !base) throw new Error(`fake repo: cannot merge #${number}`);
    const commit = this.commits.get(head);
    const merge = this.putCommit(commit?.tree ?? "", [base, head], `Merge #${number}`);
    this.refs.set(`heads/${pull.base}`, merge);
    pull.state = "closed";
    pull.merged = true;
  }

  close(number: number): void {
    const pull = this.pull(number);
    if (!pull) throw new Error(`fake repo: no pull request #${number}`);
    pull.state = "closed";
  }

  nextIssueNumber(): number {
    return this.pulls.length + 1;
  }
}
