import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseBacklogItem } from "../../src/backlog/parse-item.js";
import { validateBacklog } from "../../src/backlog/validate-backlog.js";
import { experimentItem, gateItem, toYaml, validItem } from "./valid-item.js";

/** The loader's contract: for any text, items or errors, never a throw. */
function expectItemsOrErrors(name: string, text: string): void {
  const result = parseBacklogItem(name, text);
  if (result.ok) {
    expect(result.item.id).toBe(name.replace(/\.ya?ml$/, ""));
  } else {
    expect(result.errors.length).toBeGreaterThan(0);
    for (const error of result.errors) {
      expect(error.file).toBe(name);
      expect(typeof error.message).toBe("string");
      expect(error.message.length).toBeGreaterThan(0);
    }
  }
  const backlog = validateBacklog([{ name, text }]);
  expect(backlog.items.length + backlog.errors.length).toBeGreaterThan(0);
}

/** Bits of YAML syntax and backlog vocabulary, glued into text that is often nearly YAML. */
const yamlToken = fc.constantFrom(
  "id: item",
  "ship:",
  "  kind: pull-request",
  "  changes:",
  "    - path: a.ts",
  "      replace: { find: x, with: y }",
  "stage: ttv",
  "split: 50",
  "groups: [{ name: a, size: 50 }]",
  "- ",
  ": ",
  "{",
  "}",
  "[",
  "]",
  "&a",
  "*a",
  "<<: *a",
  "!!binary",
  "!tag",
  "---",
  "...",
  "%YAML 1.2",
  "? ",
  "|",
  ">-",
  "#",
  '"',
  "'",
  "\t",
  "  ",
  "\n",
  ".nan",
  ".inf",
  "~",
  "null",
  "0x1F",
  "1e999",
  "\u0000",
  "\uFEFF",
);
const yamlishText = fc.oneof(
  fc
    .array(fc.oneof(yamlToken, fc.string({ maxLength: 8 })), { maxLength: 40 })
    .map((parts) => parts.join("")),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
);

const validItems = fc.constantFrom(validItem("item"), gateItem("item"), experimentItem("item"));

/** Replaces the value at a random path of the item with any JSON value, or deletes it. */
const mutatedItem = fc
  .tuple(
    validItems,
    fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
    fc.jsonValue(),
    fc.boolean(),
  )
  .map(([item, steps, value, remove]) => {
    const copy = structuredClone(item) as Record<string, unknown>;
    let node: Record<string, unknown> = copy;
    for (const [i, step] of steps.entries()) {
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const key = keys[step % keys.length] as string;
      const child = node[key];
      if (i === steps.length - 1 || child === null || typeof child !== "object") {
        if (remove) delete node[key];
        else node[key] = value;
        break;
      }
      node = child as Record<string, unknown>;
    }
    return copy;
  });

describe("the backlog loader never throws", () => {
  it("on random YAML-ish text", () => {
    fc.assert(
      fc.property(yamlishText, (text) => expectItemsOrErrors("item.yaml", text)),
      { numRuns: 500 },
    );
  });

  it("on random JSON values dumped as YAML", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) =>
        expectItemsOrErrors("item.yaml", stringify(value)),
      ),
      { numRuns: 300 },
    );
  });

  it("on random objects with backlog keys", () => {
    const keys = Object.keys(validItem("item"));
    const partial = fc.dictionary(fc.constantFrom(...keys, "extra"), fc.jsonValue({ maxDepth: 3 }));
    fc.assert(
      fc.property(partial, (value) => expectItemsOrErrors("item.yaml", toYaml(value))),
      { numRuns: 300 },
    );
  });

  it("on mutations of valid items", () => {
    fc.assert(
      fc.property(mutatedItem, (value) => expectItemsOrErrors("item.yaml", toYaml(value))),
      { numRuns: 500 },
    );
  });

  it("on valid items with a random slice cut out of their text", () => {
    const cut = fc.tuple(validItems, fc.nat(), fc.nat({ max: 40 })).map(([item, at, length]) => {
      const text = toYaml(item);
      const start = at % text.length;
      return text.slice(0, start) + text.slice(start + length);
    });
    fc.assert(
      fc.property(cut, (text) => expectItemsOrErrors("item.yaml", text)),
      {
        numRuns: 300,
      },
    );
  });
});
