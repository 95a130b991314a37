import type { FakePull, FakeRepo, Permissions, TreeEntry } from "./fake-repo.js";

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HandlerContext {
  repo: FakeRepo;
  params: Record<string, string>;
  query: URLSearchParams;
  // biome-ignore lint/suspicious/noExplicitAny: validated against the OpenAPI schema before it gets here
  body: any;
  login: string;
  apiUrl: string;
}

type Handler = (ctx: HandlerContext) => Reply;

/** Which permission each operation needs (fine-grained tokens and apps), and at what level. */
export const REQUIRED_PERMISSION: Record<string, [keyof Permissions, "read" | "write"]> = {
  "git/get-ref": ["contents", "read"],
  "git/get-commit": ["contents", "read"],
  "git/get-blob": ["contents", "read"],
  "repos/get-branch": ["contents", "read"],
  "repos/get-content": ["contents", "read"],
  "git/create-tree": ["contents", "write"],
  "git/create-commit": ["contents", "write"],
  "git/create-ref": ["contents", "write"],
  "git/update-ref": ["contents", "write"],
  "pulls/list": ["pull_requests", "read"],
  "pulls/get": ["pull_requests", "read"],
  "pulls/create": ["pull_requests", "write"],
  "pulls/update": ["pull_requests", "write"],
  "pulls/request-reviewers": ["pull_requests", "write"],
  "issues/add-labels": ["issues", "write"],
  "issues/list-comments": ["issues", "read"],
  "issues/create-comment": ["issues", "write"],
  "issues/update-comment": ["issues", "write"],
};

const notFound = (): Reply => ({
  status: 404,
  body: {
    message: "Not Found",
    documentation_url: "https://docs.github.com/rest",
    status: "404",
  },
});

const invalid = (message: string, errors: unknown[] = []): Reply => ({
  status: 422,
  body: { message, errors, documentation_url: "https://docs.github.com/rest", status: "422" },
});

function commitJson(ctx: HandlerContext, sha: string) {
  const commit = ctx.repo.commits.get(sha);
  if (!commit) throw new Error("unknown commit");
  return {
    sha,
    node_id: `C_${sha.slice(0, 8)}`,
    url: `${ctx.apiUrl}/repos/${ctx.repo.fullName}/git/commits/${sha}`,
    html_url: `https://github.test/${ctx.repo.fullName}/commit/${sha}`,
    message: commit.message,
    tree: {
      sha: commit.tree,
      url: `${ctx.apiUrl}/repos/${ctx.repo.fullName}/git/trees/${commit.tree}`,
    },
    parents: commit.parents.map((p) => ({ sha: p, url: "", html_url: "" })),
    author: { name: "fake", email: "fake@example.test", date: "2026-01-01T00:00:00Z" },
    committer: { name: "fake", email: "fake@example.test", date: "2026-01-01T00:00:00Z" },
    verification: {
      verified: false,
      reason: "unsigned",
      signature: null,
      payload: null,
      verified_at: null,
    },
  };
}

function refJson(ctx: HandlerContext, ref: string, sha: string) {
  return {
    ref: `refs/${ref}`,
    node_id: `REF_${ref}`,
    url: `${ctx.apiUrl}/repos/${ctx.repo.fullName}/git/refs/${ref}`,
    object: {
      type: "commit",
      sha,
      url: `${ctx.apiUrl}/repos/${ctx.repo.fullName}/git/commits/${sha}`,
    },
  };
}

function pullJson(ctx: HandlerContext, pull: FakePull) {
  const sha = ctx.repo.branchHead(pull.head) ?? "";
  return {
    id: 1000 + pull.number,
    number: pull.number,
    state: pull.state,
    title: pull.title,
    body: pull.body,
    merged: pull.merged,
    merged_at: pull.merged ? "2026-01-02T00:00:00Z" : null,
    html_url: `https://github.test/${ctx.repo.fullName}/pull/${pull.number}`,
    url: `${ctx.apiUrl}/repos/${ctx.repo.fullName}/pulls/${pull.number}`,
    user: { login: pull.author },
    head: { ref: pull.head, sha, label: `${ctx.repo.owner}:${pull.head}` },
    base: {
      ref: pull.base,
      sha: ctx.repo.branchHead(pull.base) ?? "",
      label: `${ctx.repo.owner}:${pull.base}`,
    },
    labels: pull.labels.map((name, i) => ({ id: i + 1, name, color: "ededed", default: false })),
    requested_reviewers: pull.reviewers.map((login) => ({ login })),
  };
}

function commentJson(ctx: HandlerContext, c: { id: number; body: string; author: string }) {
  return {
    id: c.id,
    body: c.body,
    user: { login: c.author },
    html_url: `https://github.test/${ctx.repo.fullName}/issues#comment-${c.id}`,
  };
}

export const HANDLERS: Record<string, Handler> = {
  "git/get-ref": (ctx) => {
    const ref = ctx.params.ref ?? "";
    const sha = ctx.repo.refs.get(ref);
    return sha ? { status: 200, body: refJson(ctx, ref, sha) } : notFound();
  },
  "repos/get-branch": (ctx) => {
    const name = ctx.params.branch ?? "";
    const sha = ctx.repo.branchHead(name);
    if (!sha) return notFound();
    return {
      status: 200,
      body: { name, commit: { sha, commit: commitJson(ctx, sha) }, protected: false },
    };
  },
  "git/get-commit": (ctx) => {
    const sha = ctx.params.commit_sha ?? "";
    return ctx.repo.commits.has(sha) ? { status: 200, body: commitJson(ctx, sha) } : notFound();
  },
  "git/get-blob": (ctx) => {
    const blob = ctx.repo.blobs.get(ctx.params.file_sha ?? "");
    if (!blob) return notFound();
    return {
      status: 200,
      body: {
        sha: ctx.params.file_sha,
        size: blob.length,
        encoding: "base64",
        content: blob.toString("base64"),
      },
    };
  },
  "repos/get-content": (ctx) => {
    const ref = ctx.query.get("ref") ?? "main";
    const commit = ctx.repo.resolveCommit(ref);
    if (!commit) return notFound();
    const path = ctx.params.path ?? "";
    const tree = ctx.repo.treeOf(commit);
    const entry = tree.get(path);
    if (!entry) {
      const children = [...tree.keys()].filter((p) => p.startsWith(`${path}/`));
      if (children.length === 0) return notFound();
      return { status: 200, body: children.map((p) => ({ type: "file", path: p, name: p })) };
    }
    const blob = ctx.repo.blobs.get(entry.sha) ?? Buffer.alloc(0);
    // GitHub answers files over 1 MB without their content; the blob API has it.
    const large = blob.length > 1024 * 1024;
    return {
      status: 200,
      body: {
        type: "file",
        encoding: large ? "none" : "base64",
        size: blob.length,
        name: path.split("/").pop(),
        path,
        sha: entry.sha,
        // GitHub wraps base64 content at 60 characters.
        content: large ? "" : (blob.toString("base64").match(/.{1,60}/g) ?? []).join("\n"),
      },
    };
  },
  "git/create-tree": (ctx) => {
    const baseTree = ctx.body.base_tree as string | undefined;
    const base = baseTree ? ctx.repo.trees.get(baseTree) : new Map<string, TreeEntry>();
    if (!base) return invalid("base_tree is not a valid tree oid");
    const next = new Map(base);
    for (const entry of ctx.body.tree as {
      path: string;
      mode: string;
      content?: string;
      sha?: string | null;
    }[]) {
      if (entry.content !== undefined && entry.sha !== undefined) {
        return invalid("tree.sha and tree.content cannot both be set");
      }
      if (entry.sha === null) {
        next.delete(entry.path);
      } else if (entry.content !== undefined) {
        next.set(entry.path, {
          mode: entry.mode,
          sha: ctx.repo.putBlob(Buffer.from(entry.content, "utf8")),
        });
      } else if (entry.sha && ctx.repo.blobs.has(entry.sha)) {
        next.set(entry.path, { mode: entry.mode, sha: entry.sha });
      } else {
        return invalid("tree.sha is not a valid blob");
      }
    }
    const sha = ctx.repo.putTree(next);
    return {
      status: 201,
      body: {
        sha,
        url: `${ctx.apiUrl}/repos/${ctx.repo.fullName}/git/trees/${sha}`,
        truncated: false,
        tree: [...next.entries()].map(([path, e]) => ({
          path,
          mode: e.mode,
          type: "blob",
          sha: e.sha,
        })),
      },
    };
  },
  "git/create-commit": (ctx) => {
    const tree = ctx.body.tree as string;
    const parents = (ctx.body.parents ?? []) as string[];
    if (!ctx.repo.trees.has(tree)) return invalid("Tree SHA does not exist");
    if (parents.some((p) => !ctx.repo.commits.has(p)))
      return invalid("Parent SHA does not exist or is not a commit object");
    const sha = ctx.repo.putCommit(tree, parents, ctx.body.message as string);
    return { status: 201, body: commitJson(ctx, sha) };
  },
  "git/create-ref": (ctx) => {
    const full = ctx.body.ref as string;
    if (!/^refs\/[^/]+\/.+/.test(full))
      return invalid("Reference name must start with 'refs/' and have at least two slashes");
    const ref = full.slice("refs/".length);
    if (ctx.repo.refs.has(ref)) return invalid("Reference already exists");
    const sha = ctx.body.sha as string;
    if (!ctx.repo.commits.has(sha)) return invalid("Object does not exist");
    ctx.repo.refs.set(ref, sha);
    return { status: 201, body: refJson(ctx, ref, sha) };
  },
  "git/update-ref": (ctx) => {
    const ref = ctx.params.ref ?? "";
    const current = ctx.repo.refs.get(ref);
    if (!current) return invalid("Reference does not exist");
    const sha = ctx.body.sha as string;
    if (!ctx.repo.commits.has(sha)) return invalid("Object does not exist");
    if (!ctx.body.force && !isAncestor(ctx.repo, current, sha))
      return invalid("Update is not a fast forward");
    ctx.repo.refs.set(ref, sha);
    return { status: 200, body: refJson(ctx, ref, sha) };
  },
  "pulls/list": (ctx) => {
    const state = ctx.query.get("state") ?? "open";
    const head = ctx.query.get("head");
    const pulls = ctx.repo.pulls.filter(
      (p) =>
        (state === "all" || p.state === state) && (!head || head === `${ctx.repo.owner}:${p.head}`),
    );
    return { status: 200, body: pulls.map((p) => pullJson(ctx, p)) };
  },
  "pulls/get": (ctx) => {
    const pull = ctx.repo.pull(Number(ctx.params.pull_number));
    return pull ? { status: 200, body: pullJson(ctx, pull) } : notFound();
  },
  "pulls/create": (ctx) => {
    const head = ctx.body.head as string;
    const base = ctx.body.base as string;
    const headSha = ctx.repo.branchHead(head);
    if (!headSha)
      return invalid("Validation Failed", [
        { resource: "PullRequest", field: "head", code: "invalid" },
      ]);
    if (!ctx.repo.branchHead(base))
      return invalid("Validation Failed", [
        { resource: "PullRequest", field: "base", code: "invalid" },
      ]);
    if (ctx.repo.openPulls().some((p) => p.head === head && p.base === base)) {
      return invalid("Validation Failed", [
        {
          resource: "PullRequest",
          code: "custom",
          message: `A pull request already exists for ${ctx.repo.owner}:${head}.`,
        },
      ]);
    }
    if (headSha === ctx.repo.branchHead(base)) {
      return invalid("Validation Failed", [
        {
          resource: "PullRequest",
          code: "custom",
          message: `No commits between ${base} and ${head}`,
        },
      ]);
    }
    const pull: FakePull = {
      number: ctx.repo.nextIssueNumber(),
      title: ctx.body.title as string,
      body: (ctx.body.body as string | undefined) ?? "",
      head,
      base,
      state: "open",
      merged: false,
      labels: [],
      reviewers: [],
      author: ctx.login,
    };
    ctx.repo.pulls.push(pull);
    return { status: 201, body: pullJson(ctx, pull) };
  },
  "pulls/update": (ctx) => {
    const pull = ctx.repo.pull(Number(ctx.params.pull_number));
    if (!pull) return notFound();
    if (typeof ctx.body.title === "string") pull.title = ctx.body.title;
    if (typeof ctx.body.body === "string") pull.body = ctx.body.body;
    if (ctx.body.state === "closed" || ctx.body.state === "open") pull.state = ctx.body.state;
    return { status: 200, body: pullJson(ctx, pull) };
  },
  "pulls/request-reviewers": (ctx) => {
    const pull = ctx.repo.pull(Number(ctx.params.pull_number));
    if (!pull) return notFound();
    const reviewers = (ctx.body.reviewers ?? []) as string[];
    if (reviewers.includes(pull.author))
      return invalid("Review cannot be requested from pull request author.");
    const strangers = reviewers.filter(
      (r) => ctx.repo.collaborators && !ctx.repo.collaborators.has(r),
    );
    if (strangers.length > 0) {
      return invalid(
        "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the repository.",
      );
    }
    for (const r of reviewers) if (!pull.reviewers.includes(r)) pull.reviewers.push(r);
    return { status: 201, body: pullJson(ctx, pull) };
  },
  "issues/add-labels": (ctx) => {
    const pull = ctx.repo.pull(Number(ctx.params.issue_number));
    if (!pull) return notFound();
    const raw = Array.isArray(ctx.body) ? ctx.body : (ctx.body.labels as unknown[]);
    for (const label of raw) {
      const name = typeof label === "string" ? label : (label as { name: string }).name;
      ctx.repo.labels.add(name);
      if (!pull.labels.includes(name)) pull.labels.push(name);
    }
    return {
      status: 200,
      body: pull.labels.map((name, i) => ({ id: i + 1, name, color: "ededed", default: false })),
    };
  },
  "issues/list-comments": (ctx) => {
    const issue = Number(ctx.params.issue_number);
    if (!ctx.repo.pull(issue)) return notFound();
    const perPage = Number(ctx.query.get("per_page") ?? 30);
    const page = Number(ctx.query.get("page") ?? 1);
    const all = ctx.repo.comments.filter((c) => c.issue === issue);
    const slice = all.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < all.length) {
      const next = `${ctx.apiUrl}/repos/${ctx.repo.fullName}/issues/${issue}/comments?per_page=${perPage}&page=${page + 1}`;
      headers.link = `<${next}>; rel="next"`;
    }
    return { status: 200, body: slice.map((c) => commentJson(ctx, c)), headers };
  },
  "issues/create-comment": (ctx) => {
    const issue = Number(ctx.params.issue_number);
    if (!ctx.repo.pull(issue)) return notFound();
    const comment = {
      id: 9000 + ctx.repo.comments.length + 1,
      issue,
      body: ctx.body.body as string,
      author: ctx.login,
    };
    ctx.repo.comments.push(comment);
    return { status: 201, body: commentJson(ctx, comment) };
  },
  "issues/update-comment": (ctx) => {
    const comment = ctx.repo.comments.find((c) => c.id === Number(ctx.params.comment_id));
    if (!comment) return notFound();
    comment.body = ctx.body.body as string;
    return { status: 200, body: commentJson(ctx, comment) };
  },
};

function isAncestor(repo: FakeRepo, ancestor: string, descendant: string): boolean {
  const seen = new Set<string>();
  const queue = [descendant];
  while (queue.length > 0) {
    const sha = queue.pop() ?? "";
    if (sha === ancestor) return true;
    if (seen.has(sha)) continue;
    seen.add(sha);
    queue.push(...(repo.commits.get(sha)?.parents ?? []));
  }
  return false;
}
